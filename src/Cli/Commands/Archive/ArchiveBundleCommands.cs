using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Archive;

/// <summary>
/// <c>sdlg archive seal [--review R] [--attachments ciphertexts|digests]</c> (the review's secretariat), <c>sdlg archive
/// bundles [--review R]</c> and <c>sdlg archive fetch NAME --out FILE [--review R]</c> (members and secretariat): seal the
/// review's archive on the server, list its sealed bundles, and download one to verify offline with <c>sdlg verify bundle</c>.
/// </summary>
internal static class ArchiveBundleCommands
{
    public static Command Seal(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var attachments = new Option<string>("--attachments")
        {
            Description = "ciphertexts (default: each attachment's ciphertext in the bundle) or digests (hashes only)",
            DefaultValueFactory = _ => "ciphertexts",
        };
        attachments.AcceptOnlyFromAmong("ciphertexts", "digests");
        var command = new Command("seal", "Seal the review's archive now into a write-once bundle (the review's secretariat)") { review, attachments };
        command.SetAction(async (parseResult, cancellationToken) =>
            await WithServerAsync(context, parseResult.GetValue(global.Profile), parseResult.GetValue(review), async (connection, reviewId) =>
            {
                var sealedResult = await connection.Api.SealArchiveAsync(reviewId, parseResult.GetValue(attachments), cancellationToken).ConfigureAwait(false);
                if (!sealedResult.TryGetValue(out var info, out var error))
                {
                    return context.Fail(connection.Failure(error, "seal the review's archive"));
                }

                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), info, CliJsonContext.Output.SealedBundleInfo, static (v, w) => WriteText(v, w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }

    public static Command List(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var command = new Command("bundles", "List the review's sealed archive bundles") { review };
        command.SetAction(async (parseResult, cancellationToken) =>
            await WithServerAsync(context, parseResult.GetValue(global.Profile), parseResult.GetValue(review), async (connection, reviewId) =>
            {
                var listed = await connection.Api.ListSealedBundlesAsync(reviewId, cancellationToken).ConfigureAwait(false);
                if (!listed.TryGetValue(out var list, out var error))
                {
                    return context.Fail(connection.Failure(error, "list the review's sealed bundles"));
                }

                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), list, CliJsonContext.Output.SealedBundleList, static (v, w) =>
                {
                    if (v.Bundles.Count == 0)
                    {
                        w.WriteLine("No sealed bundles.");
                    }

                    foreach (var bundle in v.Bundles)
                    {
                        WriteText(bundle, w);
                    }
                });
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }

    public static Command Fetch(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var name = new Argument<string>("NAME") { Description = "The bundle's name (see sdlg archive bundles)" };
        var output = new Option<string>("--out") { Description = "The file to write (must not exist)", HelpName = "FILE", Required = true };
        var command = new Command("fetch", "Download a sealed bundle, checking it against its receipt's SHA-256; verify it with sdlg verify bundle") { name, review, output };
        command.SetAction(async (parseResult, cancellationToken) =>
            await WithServerAsync(context, parseResult.GetValue(global.Profile), parseResult.GetValue(review), async (connection, reviewId) =>
            {
                var bundleName = parseResult.GetValue(name)!;
                var path = Path.GetFullPath(parseResult.GetValue(output)!);
                if (File.Exists(path) || System.IO.Directory.Exists(path))
                {
                    return context.Fail(new CommandFailure(ExitCodes.Usage, $"{path} already exists."));
                }

                var listed = await connection.Api.ListSealedBundlesAsync(reviewId, cancellationToken).ConfigureAwait(false);
                if (!listed.TryGetValue(out var list, out var error))
                {
                    return context.Fail(connection.Failure(error, "list the review's sealed bundles"));
                }

                var receipt = list.Bundles.FirstOrDefault(b => string.Equals(b.Name, bundleName, StringComparison.Ordinal));
                if (receipt is null)
                {
                    return context.Fail(new CommandFailure(ExitCodes.Failed, $"The review has no sealed bundle named {bundleName}."));
                }

                var fetched = await connection.Api.GetSealedBundleAsync(reviewId, bundleName, cancellationToken).ConfigureAwait(false);
                if (!fetched.TryGetValue(out var response, out error))
                {
                    return context.Fail(connection.Failure(error, "download the sealed bundle"));
                }

                var partial = path + ".part";
                await using (response.ConfigureAwait(false))
                {
                    try
                    {
                        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                        if (!OperatingSystem.IsWindows())
                        {
                            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                        }

                        byte[] sha256;
                        await using (var file = new FileStream(partial, options))
                        {
                            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                            var buffer = new byte[81920];
                            int read;
                            while ((read = await response.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                hash.AppendData(buffer, 0, read);
                                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            }

                            sha256 = hash.GetHashAndReset();
                        }

                        if (!string.Equals(Convert.ToHexStringLower(sha256), receipt.Sha256, StringComparison.Ordinal))
                        {
                            File.Delete(partial);
                            return context.Fail(new CommandFailure(ExitCodes.Tampered, $"The downloaded bundle does not hash to its receipt's SHA-256 {receipt.Sha256}; nothing was saved."));
                        }

                        File.Move(partial, path);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
                    {
                        File.Delete(partial);
                        return context.Fail(new CommandFailure(ExitCodes.Failed, $"cannot save the bundle to {path}: {e.Message}"));
                    }
                }

                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), new FetchedBundleView(receipt.Name, path, receipt.Sha256, receipt.Size),
                    CliJsonContext.Output.FetchedBundleView,
                    static (v, w) => w.WriteLine($"Saved {v.Name} ({v.Size} bytes, SHA-256 {v.Sha256}) to {v.Path}. Verify it offline: sdlg verify bundle {v.Path}"));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static void WriteText(SealedBundleInfo info, TextWriter writer)
    {
        writer.WriteLine($"{info.Name}: {info.TreeSize} entries, root {Convert.ToHexStringLower(info.Root)}, attachments {info.Attachments}");
        writer.WriteLine($"  stored {info.Backend} {info.Key}{(info.VersionId is null ? string.Empty : $" version {info.VersionId}")}, {info.Size} bytes, SHA-256 {info.Sha256}");
        writer.WriteLine($"  sealed {Times.Format(info.SealedAt)}{(info.RetainUntil is { } until ? $", retained until {Times.Format(until)}" : string.Empty)}");
    }

    internal static async Task<int> WithServerAsync(
        CliContext context, string? profileDirectory, string? review, Func<ServerConnection, Guid, Task<int>> action, CancellationToken cancellationToken)
    {
        var profileResult = Profile.Resolve(profileDirectory, context);
        if (!profileResult.TryGetValue(out var profile, out var failure))
        {
            return context.Fail(failure);
        }

        var opened = await ServerConnection.OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var connection, out failure))
        {
            return context.Fail(failure);
        }

        using (connection)
        {
            var resolved = await ReviewSelector.ResolveAsync(connection, review, cancellationToken).ConfigureAwait(false);
            return resolved.TryGetValue(out var reviewId, out failure)
                ? await action(connection, reviewId).ConfigureAwait(false)
                : context.Fail(failure);
        }
    }
}

/// <summary>What <c>sdlg archive fetch</c> prints: the bundle saved, where, and its checked SHA-256 and size.</summary>
internal sealed record FetchedBundleView(string Name, string Path, string Sha256, long Size);
