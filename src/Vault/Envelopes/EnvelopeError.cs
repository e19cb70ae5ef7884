namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Why an envelope was refused. Every cryptographic failure (signature, decryption, padding, commitment)
/// is the single value <see cref="Invalid"/>, so a forger learns nothing from which check failed.
/// </summary>
public enum EnvelopeError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Truncated, oversized, or not the canonical encoding.</summary>
    Malformed,

    /// <summary>A protocol version or suite this build does not implement (never downgraded).</summary>
    UnsupportedVersion,

    /// <summary>Sent for another review or channel than the one it was delivered in.</summary>
    WrongContext,

    /// <summary>The sender device is not a member this client knows for that epoch.</summary>
    UnknownSender,

    /// <summary>
    /// Sealed in an earlier epoch by a device no longer listed in the current one: a removed member cannot post.
    /// Such items are read only as history, when the log places them before the removal.
    /// </summary>
    SenderRemoved,

    /// <summary>This device holds no key for the envelope's epoch (e.g. it was removed before it).</summary>
    UnknownEpoch,

    /// <summary>Signature, decryption or commitment check failed.</summary>
    Invalid,
}
