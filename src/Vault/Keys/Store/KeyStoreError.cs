namespace SecureDialogue.Vault.Keys.Store;

/// <summary>Why a key store could not be opened or written.</summary>
public enum KeyStoreError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>There is no key store at that path.</summary>
    NotFound,

    /// <summary>A key store already exists there; nothing was overwritten.</summary>
    AlreadyExists,

    /// <summary>The file is not a SecureDialogue key store, or it is truncated or oversized.</summary>
    Malformed,

    /// <summary>A key store format or KDF this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>The file asks for a cheaper passphrase derivation than the floor allows (a downgrade).</summary>
    KdfBelowFloor,

    /// <summary>The file asks for more passphrase work than any legitimate store does.</summary>
    KdfAboveCeiling,

    /// <summary>The passphrase is wrong, or the file was modified.</summary>
    WrongPassphrase,

    /// <summary>The new passphrase is shorter than <see cref="KeyStoreFile.MinimumPassphraseLength"/> characters.</summary>
    PassphraseTooShort,

    /// <summary>The passphrase derivation could not get the memory it needs.</summary>
    OutOfMemory,

    /// <summary>The file could not be read or written.</summary>
    Io,
}
