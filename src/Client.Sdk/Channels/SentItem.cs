using SecureDialogue.Client.Api;

namespace SecureDialogue.Client.Channels;

/// <summary>An item sealed and sent (or queued in the outbox).</summary>
/// <param name="ClientMessageId">Its client message id (the server's idempotency key).</param>
/// <param name="Counter">Its own counter.</param>
/// <param name="Epoch">The epoch it was sealed in.</param>
/// <param name="Sequence">The channel sequence the server acknowledged; null while queued.</param>
/// <param name="Duplicate">True when the server had already stored it (a retry after a lost acknowledgement).</param>
public sealed record SentItem(Guid ClientMessageId, ulong Counter, uint Epoch, long? Sequence, bool Duplicate)
{
    /// <summary>True when the server could not be reached: the sealed item stays in the outbox and is sent again on reconnect or the next open.</summary>
    public bool Queued => Sequence is null;
}

/// <summary>Why an item was not sent.</summary>
public enum SendErrorKind
{
    /// <summary>This member may not post in the channel (an observer).</summary>
    NotAllowed = 1,

    /// <summary>This device holds no key of the channel's current epoch (no epoch yet, or not a member of it).</summary>
    NoKey = 2,

    /// <summary>The item is larger than an envelope carries.</summary>
    TooLarge = 3,

    /// <summary>The server refused it (<see cref="SendError.Api"/>); it was removed from the outbox.</summary>
    Refused = 4,

    /// <summary>A correction or retraction of an item this device did not send, or of no item (docs/protocol.md 21.1).</summary>
    NotAuthor = 5,

    /// <summary>A correction or retraction while the server cannot be reached: nothing was amended (the replacement may be queued).</summary>
    Offline = 6,
}

/// <summary>Why an item was not sent.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Api">The server's answer for <see cref="SendErrorKind.Refused"/>.</param>
public readonly record struct SendError(SendErrorKind Kind, ApiError? Api);
