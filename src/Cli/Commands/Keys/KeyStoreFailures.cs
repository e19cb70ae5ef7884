using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary>Turns key store and device card errors into exit codes and one-line messages.</summary>
internal static class KeyStoreFailures
{
    public static CommandFailure Missing(string path) =>
        new(ExitCodes.KeyStoreMissing, $"no key store at {path}; create one with 'sdlg keys init' (or choose another --profile)");

    public static CommandFailure AlreadyExists(string path) =>
        new(ExitCodes.Failed, $"a key store already exists at {path}; refusing to overwrite it (use another --profile for a new device)");

    public static CommandFailure Of(KeyStoreError error, string path) => error switch
    {
        KeyStoreError.NotFound => Missing(path),
        KeyStoreError.AlreadyExists => AlreadyExists(path),
        KeyStoreError.WrongPassphrase => new(ExitCodes.Failed, $"wrong passphrase for {path} (or the file was modified)"),
        KeyStoreError.PassphraseTooShort => new(ExitCodes.Failed, $"the passphrase is too short: use at least {KeyStoreFile.MinimumPassphraseLength} characters"),
        KeyStoreError.Malformed => new(ExitCodes.Failed, $"{path} is not a SecureDialogue key store, or it is damaged"),
        KeyStoreError.UnsupportedVersion => new(ExitCodes.Failed, $"{path} was written by a newer or unknown version of SecureDialogue"),
        KeyStoreError.KdfBelowFloor => new(ExitCodes.Failed, $"{path} asks for a weaker passphrase derivation than allowed; refusing it (possible tampering)"),
        KeyStoreError.KdfAboveCeiling => new(ExitCodes.Failed, $"{path} asks for more passphrase derivation work than any legitimate key store; refusing it"),
        KeyStoreError.OutOfMemory => new(ExitCodes.Environment, "not enough memory for the passphrase derivation (Argon2id)"),
        KeyStoreError.Io => new(ExitCodes.Failed, $"cannot read or write {path}"),
        _ => new(ExitCodes.Failed, $"key store error {error} at {path}"),
    };

    public static CommandFailure OfPeerKey(KeyError error) => error switch
    {
        KeyError.Malformed => new(ExitCodes.Failed,
            $"the peer key is not a device card: expected {DevicePublicKeys.EncodedSize} bytes ({DevicePublicKeys.EncodedSize * 2} hex digits) as printed by 'sdlg keys show'"),
        KeyError.UnsupportedVersion => new(ExitCodes.Failed, "the peer key uses a card version or cipher suite this sdlg does not support"),
        KeyError.InvalidPublicKey => new(ExitCodes.Failed, "the peer key contains an invalid public key; it was altered or corrupted"),
        KeyError.BadSignature => new(ExitCodes.Failed, "the peer key's self-signature does not verify; it was altered or corrupted"),
        _ => new(ExitCodes.Failed, $"the peer key was refused ({error})"),
    };
}
