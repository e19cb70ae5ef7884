using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// <c>sdlg verify publication FILE_OR_URL --archive-key KEY</c>: checks a publication record offline
/// (docs/protocol.md, section 18). Exit 0 valid, 1 invalid, 2 usage error; 6 or 7 when a URL cannot be downloaded.
/// </summary>
internal static class VerifyPublicationCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var source = new Argument<string>("FILE_OR_URL") { Description = "The publication record: a file, or an http(s) URL to download it from" };
        var archiveKeys = new Option<string[]>("--archive-key")
        {
            Description = "A trusted archive log key, as a signed-note verifier key (name+keyid+base64); repeat for rotated keys",
            HelpName = "KEY",
            Required = true,
        };
        var cosigners = new Option<string[]>("--cosigner")
        {
            Description = "A trusted cosigner, as a signed-note verifier key (type 0x04); repeat for each",
            HelpName = "KEY",
        };
        var minimum = new Option<int>("--require-cosignatures")
        {
            Description = "How many trusted cosigners must have cosigned the checkpoint (default 0)",
            HelpName = "N",
        };

        var saveDocuments = new Option<string>("--save-documents")
        {
            Description = "Write the record's documents into this directory, only if the record is valid (never overwrites)",
            HelpName = "DIR",
        };

        var command = new Command("publication", "Check a publication record offline: author, disclosed text and documents, archive proof")
        {
            source, archiveKeys, cosigners, minimum, saveDocuments,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var logKeys = new List<ArchiveLogKey>();
            foreach (var text in parseResult.GetValue(archiveKeys) ?? [])
            {
                var key = ArchiveLogKey.FromVerifierKey(text);
                if (!key.IsSuccess)
                {
                    return context.Fail(ExitCodes.Usage, $"--archive-key '{HashArgument.Shorten(text)}' is not a signed-note Ed25519 verifier key (name+keyid+base64)");
                }

                logKeys.Add(key.Value);
            }

            var cosignerKeys = new List<CosignerKey>();
            foreach (var text in parseResult.GetValue(cosigners) ?? [])
            {
                var key = CosignerKey.FromVerifierKey(text);
                if (!key.IsSuccess)
                {
                    return context.Fail(ExitCodes.Usage, $"--cosigner '{HashArgument.Shorten(text)}' is not a signed-note cosignature verifier key (name+keyid+base64)");
                }

                cosignerKeys.Add(key.Value);
            }

            var required = parseResult.GetValue(minimum);
            if (required < 0)
            {
                return context.Fail(ExitCodes.Usage, "--require-cosignatures must not be negative");
            }

            if (logKeys.Count == 0)
            {
                return context.Fail(ExitCodes.Usage, "give the archive's key with --archive-key (the record cannot vouch for its own signer)");
            }

            var bytes = await PublicationSource.ReadAsync(parseResult.GetValue(source)!, cancellationToken).ConfigureAwait(false);
            if (!bytes.TryGetValue(out var encoded, out var failure))
            {
                return context.Fail(failure);
            }

            var trust = new PublicationTrust(new ArchiveKeyRing(logKeys, cosignerKeys)) { MinimumCosignatures = required };
            var result = PublicationVerifier.Verify(encoded, trust);
            var view = PublicationView.Of(result, trust);
            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.PublicationView, static (v, w) => v.WriteText(w));
            if (!result.IsValid)
            {
                return ExitCodes.Failed;
            }

            if (parseResult.GetValue(saveDocuments) is { } directory)
            {
                var saved = PublicationDocuments.Save(result.Record!, directory);
                if (!saved.TryGetValue(out var paths, out var saveFailure))
                {
                    return context.Fail(saveFailure);
                }

                foreach (var path in paths)
                {
                    context.Error.WriteLine($"sdlg: saved {path}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
