namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// Why an attachment operation failed. Every failure of the ciphertext itself (a flipped byte, truncation,
/// extension, duplicated, reordered or spliced chunks, a wrong key, a plaintext or ciphertext hash or size
/// that does not match the manifest) is the single value <see cref="Invalid"/>.
/// </summary>
public enum AttachmentError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The manifest is truncated, oversized, not canonical, or a field is out of bounds.</summary>
    Malformed,

    /// <summary>The manifest has a version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>The plaintext is longer than the limit given to the encryptor.</summary>
    TooLarge,

    /// <summary>The ciphertext does not decrypt and verify to the file the manifest describes.</summary>
    Invalid,

    /// <summary>A file already exists at the destination path and overwriting was not allowed.</summary>
    DestinationExists,
}
