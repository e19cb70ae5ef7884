using System.CommandLine;
using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// <c>sdlg verify bundle FILE</c>: verifies a sealed archive bundle offline (no network) and names the first bad
/// entry; with <c>--decrypt --out DIR</c> and a member's profile, writes the readable transcript and attachments.
/// Exit 0 valid, 1 invalid (or decryption refused), 2 usage error, 3 no key store.
/// </summary>
internal static class VerifyBundleCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var file = new Argument<string>("FILE") { Description = "The sealed bundle (.sdlb)" };
        var logKeys = new Option<string[]>("--log-key")
        {
            Description = "A trusted archive log key (signed-note verifier key name+id+base64); repeat for rotated keys. " +
                          "With it, a bundle naming any other key is invalid",
            HelpName = "KEY",
        };
        var decrypt = new Option<bool>("--decrypt") { Description = "Also decrypt what this profile's device may read (needs --out)" };
        var output = new Option<string>("--out") { Description = "Empty or new directory for transcript.html and attachments/", HelpName = "DIR" };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("bundle", "Verify a sealed archive bundle offline: every hash, signature, the tree, the checkpoints and the seal")
        {
            file, logKeys, decrypt, output, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(global.Json);
            var path = Path.GetFullPath(parseResult.GetValue(file)!);
            var trusted = new List<ArchiveLogKey>();
            foreach (var text in parseResult.GetValue(logKeys) ?? [])
            {
                if (!ArchiveLogKey.FromVerifierKey(text).TryGetValue(out var key, out _))
                {
                    return context.Fail(ExitCodes.Usage, $"--log-key '{HashArgument.Shorten(text)}' is not a signed-note Ed25519 verifier key (name+id+base64)");
                }

                trusted.Add(key);
            }

            var outDirectory = parseResult.GetValue(output);
            var wantsDecrypt = parseResult.GetValue(decrypt);
            if (wantsDecrypt && string.IsNullOrEmpty(outDirectory))
            {
                return context.Fail(ExitCodes.Usage, "--decrypt needs --out DIR");
            }

            if (!wantsDecrypt && outDirectory is not null)
            {
                return context.Fail(ExitCodes.Usage, "--out is only used with --decrypt");
            }

            if (outDirectory is not null && Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any())
            {
                return context.Fail(ExitCodes.Usage, $"--out {outDirectory} is not empty; give a new or empty directory");
            }

            if (!File.Exists(path))
            {
                return context.Fail(ExitCodes.Usage, $"no bundle file at {path}");
            }

            BundleVerification verification;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous))
            {
                verification = await BundleVerifier.VerifyAsync(stream, new BundleVerifierOptions { TrustedLogKeys = trusted.Count > 0 ? trusted : null }, cancellationToken)
                    .ConfigureAwait(false);
            }

            var view = BundleVerdictView.Of(path, verification);
            if (view.Summary is { } summary)
            {
                view = view with { Summary = summary with { LogKeysTrusted = trusted.Count > 0 } };
            }

            if (!verification.IsValid)
            {
                if (json)
                {
                    CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.BundleVerdictView, static (v, w) => v.WriteText(w));
                }

                return context.Fail(ExitCodes.Failed, view.FailureLine);
            }

            if (wantsDecrypt)
            {
                var profile = Profile.Resolve(parseResult.GetValue(global.Profile), context);
                if (!profile.TryGetValue(out var resolved, out var failure))
                {
                    return context.Fail(failure);
                }

                var opened = DeviceKeyStore.Open(resolved, new PassphraseSource(context, parseResult.GetValue(passphraseFile)));
                if (!opened.TryGetValue(out var identity, out failure))
                {
                    return context.Fail(failure);
                }

                using (identity)
                using (var transcript = new BundleTranscript(identity, path, Path.GetFullPath(outDirectory!)))
                {
                    if (!await transcript.WriteAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return context.Fail(ExitCodes.Failed,
                            $"the bundle is valid, but this profile's device {identity.Id} is not a member of any channel in it: there is nothing it may decrypt");
                    }

                    view = view with
                    {
                        Transcript = new TranscriptView(Path.Combine(Path.GetFullPath(outDirectory!), BundleTranscript.FileName), identity.Id.ToString(),
                            transcript.Readable, transcript.NotReadable, transcript.Attachments),
                    };
                }
            }

            CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.BundleVerdictView, static (v, w) => v.WriteText(w));
            return ExitCodes.Ok;
        });
        return command;
    }
}
