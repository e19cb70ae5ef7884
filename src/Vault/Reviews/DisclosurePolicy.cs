using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Reviews;

/// <summary>What metadata of a review's activity the secretariat sees (docs/protocol.md section 19).</summary>
public enum MetadataLevel : byte
{
    /// <summary>Who (person and State), when, which channel, what size class.</summary>
    PerPerson = 1,

    /// <summary>Which State, when, which channel, what size class: never which person. The default.</summary>
    PerState = 2,

    /// <summary>Only counts per channel and day.</summary>
    CountsOnly = 3,
}

/// <summary>
/// A review's disclosure policy as its reviewed State's focal point decides it: the metadata level the secretariat
/// sees and the channels whose content keys the secretariat receives (for example to translate). Version 0 is the
/// unsigned default (per State, no content); every statement a focal point signs has version 1, 2, ...
/// </summary>
/// <param name="ReviewId">The review the policy applies to.</param>
/// <param name="Version">The statement's number in the review's sequence of policies (1 for the first signed one).</param>
/// <param name="Metadata">What metadata the secretariat sees.</param>
/// <param name="ContentChannels">Channels whose content keys the secretariat receives, in ordinal order, distinct.</param>
/// <param name="IssuedAt">When the focal point signed it (whole seconds, UTC).</param>
public sealed record DisclosurePolicy(Guid ReviewId, uint Version, MetadataLevel Metadata, IReadOnlyList<string> ContentChannels, DateTimeOffset IssuedAt)
{
    /// <summary>The policy of a review for which no focal point signed one: per-State metadata, no content.</summary>
    public static DisclosurePolicy Default(Guid reviewId) => new(reviewId, 0, MetadataLevel.PerState, [], DateTimeOffset.UnixEpoch);

    /// <summary>Whether the secretariat receives the content keys of <paramref name="channel"/>.</summary>
    public bool SharesContentOf(string channel) => ContentChannels.Contains(channel, StringComparer.Ordinal);
}

/// <summary>Why a disclosure policy statement was refused.</summary>
public enum DisclosurePolicyError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Wrong length or structure, an unknown metadata level, bad or unsorted channel names.</summary>
    Malformed,

    /// <summary>A version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>The signature does not verify with the signer's card, or the signer is not the card's device.</summary>
    BadSignature,
}

/// <summary>A decoded statement: the policy, the device that signed it and the exact bytes.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Signer">The signing device's id (its card must belong to the focal point: the verifier checks).</param>
/// <param name="Encoded">The whole statement.</param>
public sealed record DisclosurePolicyStatement(DisclosurePolicy Policy, DeviceId Signer, byte[] Encoded);
