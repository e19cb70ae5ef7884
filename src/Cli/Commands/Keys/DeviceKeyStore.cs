using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary>Opens the profile's key store, checking that it exists before asking for a passphrase.</summary>
internal static class DeviceKeyStore
{
    public static Result<DeviceIdentity, CommandFailure> Open(Profile profile, PassphraseSource passphrases)
    {
        var path = profile.KeyStorePath;
        if (!File.Exists(path))
        {
            return KeyStoreFailures.Missing(path);
        }

        // Fail on a missing libsodium (exit 4) before asking for a passphrase.
        Sodium.EnsureInitialized();
        var passphraseResult = passphrases.Get($"Passphrase for {path}: ", confirm: false);
        if (!passphraseResult.TryGetValue(out var passphrase, out var failure))
        {
            return failure;
        }

        using (passphrase)
        {
            var opened = KeyStoreFile.Open(path, passphrase.Chars);
            return opened.TryGetValue(out var identity, out var error) ? identity : KeyStoreFailures.Of(error, path);
        }
    }
}
