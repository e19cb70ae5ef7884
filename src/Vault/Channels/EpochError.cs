namespace SecureDialogue.Vault.Channels;

/// <summary>Why an epoch record or a wrapped key was refused.</summary>
public enum EpochError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Truncated, oversized or structurally wrong.</summary>
    Malformed,

    /// <summary>A version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>For another review or channel than the chain's.</summary>
    WrongContext,

    /// <summary>The signature does not verify, a member card is invalid, or a wrapped key does not open to the committed key.</summary>
    Invalid,

    /// <summary>Signed by a device that may not change this channel's membership.</summary>
    NotAuthorized,

    /// <summary>Not the next epoch, or not linked to the previous record.</summary>
    OutOfOrder,

    /// <summary>The same record again (a replay): no second effect.</summary>
    Replayed,

    /// <summary>A different record, validly signed by an authorised device, for an epoch already accepted: the server is showing a fork.</summary>
    Fork,

    /// <summary>This device is not a member of that epoch: it gets no key.</summary>
    NotAMember,
}
