using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// What a client may say about an item of a channel. Only <see cref="Verified"/> and <see cref="Late"/> items
/// carry content; every other status is a problem to show in place of content.
/// </summary>
public enum DialogueItemStatus
{
    /// <summary>Opened: signed by a member device of its epoch, decrypted, in order.</summary>
    Verified = 1,

    /// <summary>Opened, and it fills a gap reported earlier: it was delivered out of order (reordered).</summary>
    Late = 2,

    /// <summary>
    /// Not an item but a placeholder: <see cref="DialogueItem.MissingCount"/> items were not delivered (a sender's
    /// counters skipped, or the server skipped channel sequences).
    /// </summary>
    Missing = 3,

    /// <summary>A sender counter already seen: a replay. Never shown as new; no content.</summary>
    Replayed = 4,

    /// <summary>Opened, but sealed by a listed member in an epoch that had already been replaced when the server stored it; the server must refuse such items. No content.</summary>
    StaleEpoch = 5,

    /// <summary><see cref="EnvelopeError.Malformed"/>: not a well-formed envelope.</summary>
    Malformed = 10,

    /// <summary><see cref="EnvelopeError.UnsupportedVersion"/>.</summary>
    UnsupportedVersion = 11,

    /// <summary><see cref="EnvelopeError.WrongContext"/>: an item of another review or channel delivered here.</summary>
    WrongContext = 12,

    /// <summary><see cref="EnvelopeError.UnknownEpoch"/>: an epoch this client did not accept, or holds no key for (e.g. after its removal).</summary>
    UnknownEpoch = 13,

    /// <summary><see cref="EnvelopeError.UnknownSender"/>: the sender is not a member device of the item's epoch.</summary>
    UnknownSender = 14,

    /// <summary><see cref="EnvelopeError.SenderRemoved"/>: a removed member posting after its removal.</summary>
    SenderRemoved = 15,

    /// <summary><see cref="EnvelopeError.Invalid"/>: signature, decryption or structure failed (tampered).</summary>
    Invalid = 16,
}

/// <summary>Where missing items were detected.</summary>
public enum MissingSource
{
    /// <summary>A sender's counters skipped: that sender's items did not arrive.</summary>
    SenderCounter = 1,

    /// <summary>The server skipped channel sequence numbers.</summary>
    Sequence = 2,
}

internal static class DialogueItemStatuses
{
    public static DialogueItemStatus Of(EnvelopeError error) => error switch
    {
        EnvelopeError.Malformed => DialogueItemStatus.Malformed,
        EnvelopeError.UnsupportedVersion => DialogueItemStatus.UnsupportedVersion,
        EnvelopeError.WrongContext => DialogueItemStatus.WrongContext,
        EnvelopeError.UnknownEpoch => DialogueItemStatus.UnknownEpoch,
        EnvelopeError.UnknownSender => DialogueItemStatus.UnknownSender,
        EnvelopeError.SenderRemoved => DialogueItemStatus.SenderRemoved,
        _ => DialogueItemStatus.Invalid,
    };
}
