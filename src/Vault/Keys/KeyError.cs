namespace SecureDialogue.Vault.Keys;

/// <summary>Why a public key or device card was refused.</summary>
public enum KeyError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Wrong length or structure.</summary>
    Malformed,

    /// <summary>A version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>Not a valid Ed25519 point, or an X25519 key of small order.</summary>
    InvalidPublicKey,

    /// <summary>The self-signature does not verify.</summary>
    BadSignature,
}
