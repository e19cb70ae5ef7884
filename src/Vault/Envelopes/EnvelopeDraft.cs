using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>What a member wants to send, before it is sealed.</summary>
public sealed record EnvelopeDraft
{
    /// <summary>The review.</summary>
    public required Guid Review { get; init; }

    /// <summary>The channel.</summary>
    public required ChannelId Channel { get; init; }

    /// <summary>What the item is.</summary>
    public ItemKind Kind { get; init; } = ItemKind.DialogueMessage;

    /// <summary>The item's language.</summary>
    public required LanguageTag Language { get; init; }

    /// <summary>One or more segments.</summary>
    public required IReadOnlyList<Segment> Segments { get; init; }

    /// <summary>Idempotency key; a retry of the same item must reuse it. A new one is drawn when absent.</summary>
    public Guid? ClientMessageId { get; init; }
}
