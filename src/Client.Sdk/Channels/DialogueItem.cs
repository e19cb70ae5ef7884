using SecureDialogue.Client.Trust;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// One entry of a channel as this client verified it: an opened item with its content, or a problem in its
/// place. Content (<see cref="Text"/>, <see cref="Segments"/>) is set only when <see cref="HasContent"/>.
/// Header fields (<see cref="Kind"/>, <see cref="CreatedAt"/>, ...) are set only for opened items, so nothing
/// an attacker wrote into a refused envelope is ever shown as a member's.
/// </summary>
public sealed record DialogueItem
{
    /// <summary>The channel sequence the server assigned (for <see cref="DialogueItemStatus.Missing"/>, the first missing sequence or the sequence of the item after the gap).</summary>
    public required long Sequence { get; init; }

    /// <summary>The verdict.</summary>
    public required DialogueItemStatus Status { get; init; }

    /// <summary>The opener's error when the item was refused.</summary>
    public EnvelopeError? Error { get; init; }

    /// <summary>When the server says it stored the item (the server's claim).</summary>
    public DateTimeOffset? StoredAt { get; init; }

    /// <summary>The verified sender (or, for missing items from a sender, that sender).</summary>
    public ItemSender? Sender { get; init; }

    /// <summary>The item kind, as signed.</summary>
    public ItemKind? Kind { get; init; }

    /// <summary>The language tag, as signed.</summary>
    public string? Language { get; init; }

    /// <summary>The sender's clock when it sealed the item, as signed.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The epoch whose key sealed it.</summary>
    public uint? Epoch { get; init; }

    /// <summary>The sender's counter.</summary>
    public ulong? Counter { get; init; }

    /// <summary>The sender's client message id.</summary>
    public Guid? ClientMessageId { get; init; }

    /// <summary>The decrypted segments (content only).</summary>
    public IReadOnlyList<Segment>? Segments { get; init; }

    /// <summary>The text of the segments, joined by blank lines (content only).</summary>
    public string? Text { get; init; }

    /// <summary>For <see cref="DialogueItemStatus.Missing"/>: how many items are missing.</summary>
    public ulong MissingCount { get; init; }

    /// <summary>For <see cref="DialogueItemStatus.Missing"/>: how the gap was found.</summary>
    public MissingSource? MissingSource { get; init; }

    /// <summary>Whether the item verified by inclusion in the review's archive log (docs/protocol.md 16.7).</summary>
    public Archive.ArchiveStatus Archive { get; init; }

    /// <summary>The sequence of the item that corrects this one (its author's latest verified correction), if any (docs/protocol.md 21).</summary>
    public long? CorrectedBy { get; init; }

    /// <summary>The sequence of the item this one corrects, if it is a verified correction.</summary>
    public long? Corrects { get; init; }

    /// <summary>When the server stored its author's verified retraction of this item, if retracted.</summary>
    public DateTimeOffset? RetractedAt { get; init; }

    /// <summary>True when the item carries verified content to display.</summary>
    public bool HasContent => Status is DialogueItemStatus.Verified or DialogueItemStatus.Late;

    /// <summary>True when this client's own device sent it.</summary>
    public bool IsOwn => Sender?.Trust == DeviceTrust.Own;
}

/// <summary>The sender of an item: a device listed in the item's signed epoch record, and who the directory says it belongs to.</summary>
/// <param name="DeviceId">The device id (32 hex digits).</param>
/// <param name="AccountId">The account the device is registered to, if known.</param>
/// <param name="DisplayName">The account's display name (from the server's directory), if known.</param>
/// <param name="StateCode">The account's State, if known.</param>
/// <param name="Trust">How this client regards the device; <see cref="DeviceTrust.Unverified"/> deserves a warning.</param>
public sealed record ItemSender(string DeviceId, Guid? AccountId, string? DisplayName, string? StateCode, DeviceTrust Trust);
