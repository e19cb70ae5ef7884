namespace SecureDialogue.Vault.Certification;

/// <summary>What a <see cref="TrustStatement"/> says. The byte value is on the wire.</summary>
public enum TrustStatementKind : byte
{
    /// <summary>A device certificate: the certifier vouches for a device of a person of its State in one review.</summary>
    Certificate = 1,

    /// <summary>A revocation: the device is no longer vouched for in this review, permanently.</summary>
    Revocation = 2,
}

/// <summary>The role a certificate gives a device's owner in the review. The byte value is on the wire.</summary>
public enum CertifiedRole : byte
{
    /// <summary>The State's focal point: a self-certificate makes the device the State's trust root in the review.</summary>
    FocalPoint = 1,

    /// <summary>Governmental expert: reads and posts.</summary>
    Expert = 2,

    /// <summary>Observer: reads only; never posts and never manages a channel.</summary>
    Observer = 3,

    /// <summary>
    /// A device of secretariat staff assigned to the review, certified by the focal point of the State under review: it
    /// reads (never posts, never manages) the channels the review's disclosure policy names, and only those.
    /// </summary>
    Secretariat = 4,
}

/// <summary>Why a device is revoked. The byte value is on the wire.</summary>
public enum RevocationReason : byte
{
    /// <summary>The device was lost or is compromised; its owner may be certified again on a new device.</summary>
    Lost = 1,

    /// <summary>The person no longer takes part in the review for the State.</summary>
    Removed = 2,

    /// <summary>A focal point's device was replaced by a new focal point: every certificate it issued ends.</summary>
    Replaced = 3,
}

/// <summary>Flags of a certificate. The byte value is on the wire; unknown bits are refused.</summary>
[Flags]
public enum CertificateFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The State lets this device receive the keys of the channel's earlier epochs (history) when it is added.</summary>
    History = 1,
}

/// <summary>Why a trust statement was refused.</summary>
public enum CertificationError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Truncated, oversized, trailing bytes, or a field outside its range.</summary>
    Malformed,

    /// <summary>A version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>For another review than expected.</summary>
    WrongContext,

    /// <summary>The signature does not verify with the certifier's key, or the card does not match its hash.</summary>
    BadSignature,

    /// <summary>Signed by a device that is not a trust root of the State in this review.</summary>
    NotAuthorized,
}
