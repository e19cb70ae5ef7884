using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary>
/// <c>sdlg keys init</c>: creates this device's identity and its passphrase-protected key store. Never
/// overwrites an existing store.
/// </summary>
internal static class KeysInitCommand
{
    private const string Interactive = "interactive";
    private const string Standard = "standard";
    private const string Moderate = "moderate";

    public static Command Create(CliContext context, GlobalOptions global, Option<string> passphraseFile)
    {
        var kdfProfile = new Option<string>("--kdf-profile")
        {
            Description = "Passphrase derivation cost (Argon2id): 'interactive' (2 passes, 64 MiB, fastest), 'standard' " +
                "(3 passes, 64 MiB, the default) or 'moderate' (3 passes, 256 MiB, needs that much memory at every unlock)",
            HelpName = "interactive|standard|moderate",
            DefaultValueFactory = _ => Standard,
        };
        kdfProfile.AcceptOnlyFromAmong(Interactive, Standard, Moderate);

        var command = new Command("init", "Create this device's keys and a key store protected by a passphrase (never overwrites one)")
        {
            kdfProfile,
        };
        command.SetAction(parseResult =>
        {
            var profile = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profile.TryGetValue(out var resolved, out var failure))
            {
                return context.Fail(failure);
            }

            var kdf = parseResult.GetValue(kdfProfile) switch
            {
                Interactive => KdfParameters.Floor,
                Moderate => KdfParameters.Moderate,
                _ => KdfParameters.Default,
            };
            var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
            return Run(context, resolved, kdf, passphrases, parseResult.GetValue(global.Json));
        });
        return command;
    }

    private static int Run(CliContext context, Profile profile, KdfParameters kdf, PassphraseSource passphrases, bool json)
    {
        var path = profile.KeyStorePath;
        if (File.Exists(path))
        {
            return context.Fail(KeyStoreFailures.AlreadyExists(path));
        }

        // Fail on a missing libsodium (exit 4) before asking for a passphrase or creating the directory.
        Sodium.EnsureInitialized();
        var passphraseResult = passphrases.Get($"New passphrase for {path}: ", confirm: true);
        if (!passphraseResult.TryGetValue(out var passphrase, out var failure))
        {
            return context.Fail(failure);
        }

        using (passphrase)
        {
            if (passphrase.Length < KeyStoreFile.MinimumPassphraseLength)
            {
                return context.Fail(KeyStoreFailures.Of(KeyStoreError.PassphraseTooShort, path));
            }

            if (profile.EnsureDirectory() is { } directoryFailure)
            {
                return context.Fail(directoryFailure);
            }

            using var identity = DeviceIdentity.Create();
            var error = KeyStoreFile.Create(path, identity, passphrase.Chars, kdf);
            if (error != KeyStoreError.None)
            {
                return context.Fail(KeyStoreFailures.Of(error, path));
            }

            var view = DeviceCardView.Of(identity.PublicKeys, path);
            CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.DeviceCardView, static (v, w) =>
            {
                w.WriteLine("Created a new device key store.");
                v.WriteText(w);
                w.WriteLine("Give the public key to your peers; compare fingerprints or safety numbers over a channel you trust.");
            });
            return ExitCodes.Ok;
        }
    }
}
