namespace SecureDialogue.Vault.Archive;

/// <summary>Why a checkpoint was not accepted as signed by the log (docs/protocol.md, section 15.4).</summary>
public enum CheckpointError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Larger than <see cref="SignedCheckpoint.MaxEncodedSize"/> bytes; nothing was parsed.</summary>
    TooLarge,

    /// <summary>
    /// Not a well-formed checkpoint: ill-formed UTF-8, a control character other than newline, no blank line
    /// before the signatures, a body that is not exactly origin, size and root, a non-canonical number or
    /// base64, an invalid key name, or a repeated signature line.
    /// </summary>
    Malformed,

    /// <summary>More than <see cref="SignedCheckpoint.MaxSignatures"/> signature lines.</summary>
    TooManySignatures,

    /// <summary>The origin line is not the log the caller expects (another review's log, or another log).</summary>
    WrongOrigin,

    /// <summary>
    /// No valid signature by a log key whose validity range covers the tree size: an unsigned checkpoint, or one
    /// signed only by foreign or retired keys.
    /// </summary>
    NotSigned,

    /// <summary>A signature line of a known key (log key or cosigner) does not verify: the whole note is rejected.</summary>
    BadSignature,

    /// <summary>No valid timestamp line (tlog-cosignature/v1) by a log key covering the tree size.</summary>
    NoTimestamp,
}
