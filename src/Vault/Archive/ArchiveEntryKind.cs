namespace SecureDialogue.Vault.Archive;

/// <summary>What an archive entry records (docs/protocol.md, section 15.2). One byte on the wire.</summary>
public enum ArchiveEntryKind : byte
{
    /// <summary>Not a valid kind.</summary>
    None = 0,

    /// <summary>An encoded envelope (section 7) as the server received it, or, in a log that chooses so, its summary (section 7.12).</summary>
    Envelope = 1,

    /// <summary>An encoded epoch record (section 6.3).</summary>
    EpochRecord = 2,

    /// <summary>A signed membership change (members, roles, devices) of the review.</summary>
    MembershipChange = 3,

    /// <summary>A signed change of the review's policy (who may read what, retention, languages).</summary>
    PolicyChange = 4,

    /// <summary>A change of the review's stage (for example questionnaire, dialogue, drafting, final).</summary>
    StageChange = 5,

    /// <summary>An attachment's ciphertext, normally as its SHA-256 digest and length.</summary>
    AttachmentCiphertext = 6,

    /// <summary>A publication: a publication record (section 18) or its digest, released beyond the review's members.</summary>
    Publication = 7,

    /// <summary>A new version of an earlier entry, named by its index; the earlier entry stays.</summary>
    Correction = 8,

    /// <summary>The withdrawal of an earlier entry, named by its index; the earlier entry stays.</summary>
    Retraction = 9,

    /// <summary>A focal point's cosignature: the cosigned checkpoint as a signed note (section 15.5).</summary>
    Cosignature = 10,

    /// <summary>A new log signing key, as a signed-note verifier key (section 15.6).</summary>
    LogKeyChange = 11,
}

/// <summary>How an entry carries its payload.</summary>
public enum ArchivePayloadForm : byte
{
    /// <summary>The payload bytes themselves.</summary>
    Inline = 0,

    /// <summary>The payload's SHA-256 and length; the bytes are kept beside the log.</summary>
    Digest = 1,
}

/// <summary>Why an archive entry did not decode.</summary>
public enum ArchiveEntryError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Truncated, oversized, trailing bytes, or a field out of its range.</summary>
    Malformed,

    /// <summary>A version other than 1.</summary>
    UnsupportedVersion,
}
