using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Cli.Commands.Archive;

/// <summary>
/// <c>sdlg archive checkpoint [--review REVIEW]</c>: fetches the review's latest archive checkpoint, verifies it (the
/// pinned log key, consistency with the checkpoint this profile stored) and prints this device's verified view; a
/// contradiction halts the view, keeps the evidence in the profile and exits with 1.
/// </summary>
internal static class ArchiveCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var passphraseFile = PassphraseFileOption.Create();
        var offline = new Option<bool>("--offline") { Description = "Show the stored view without asking the server" };
        var checkpoint = new Command("checkpoint", "Verify the review's latest archive checkpoint by consistency and show this device's verified view")
        {
            review, passphraseFile, offline,
        };
        checkpoint.SetAction(async (parseResult, cancellationToken) =>
        {
            return await DialogueAccess.RunAsync(context, global, parseResult, review, passphraseFile, async access =>
            {
                var archive = access.Client.GetArchive(access.ReviewId);
                string? outcome = null;
                string? problem = null;
                if (!parseResult.GetValue(offline))
                {
                    var refreshed = await archive.RefreshAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (refreshed.TryGetValue(out var update, out var error))
                    {
                        outcome = Names.Kebab(update);
                    }
                    else if (error.Api is { } api)
                    {
                        return context.Fail(access.Connection.Failure(api, "fetch the review's archive checkpoint"));
                    }
                    else
                    {
                        problem = error.ToString();
                    }
                }

                var view = ArchiveStateView.Of(archive.GetState(), outcome, problem);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.ArchiveStateView, static (v, w) => v.WriteText(w));
                return view.Halted || problem is not null ? ExitCodes.Failed : ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });

        return new Command("archive", "The review's archive log as this device verified it, and its sealed bundles")
        {
            checkpoint, ArchiveBundleCommands.Seal(context, global), ArchiveBundleCommands.List(context, global), ArchiveBundleCommands.Fetch(context, global),
        };
    }
}

/// <summary>What <c>sdlg archive checkpoint</c> prints.</summary>
/// <param name="Review">The review.</param>
/// <param name="TreeSize">Entries covered by the verified checkpoint (null before the first).</param>
/// <param name="RootHash">Its root, lower-case hex.</param>
/// <param name="SignedAt">Its signed time.</param>
/// <param name="Stale">True when the signed time is older than the freshness limit (24 hours): the log may be frozen.</param>
/// <param name="Update"><c>first</c>, <c>advanced</c>, <c>refreshed</c> or <c>unchanged</c> after a refresh; null offline or on a problem.</param>
/// <param name="Problem">Why the served checkpoint was refused (not signed by the pinned key, rollback, ...).</param>
/// <param name="Halted">True once the log contradicted itself.</param>
/// <param name="Evidence">The evidence's kind (<c>fork</c>, <c>inconsistent-checkpoints</c>, <c>signed-rollback</c>, <c>inclusion-failure</c>, <c>root-mismatch</c>).</param>
/// <param name="EvidencePath">The evidence file in the profile.</param>
/// <param name="LogKeys">The pinned log keys.</param>
/// <param name="Checkpoint">The verified checkpoint's signed-note text.</param>
internal sealed record ArchiveStateView(
    Guid Review, long? TreeSize, string? RootHash, DateTimeOffset? SignedAt, bool Stale, string? Update, string? Problem, bool Halted, string? Evidence,
    string? EvidencePath, IReadOnlyList<string> LogKeys, string? Checkpoint)
{
    public static ArchiveStateView Of(SecureDialogue.Client.Archive.ArchiveState state, string? update, string? problem) => new(
        state.Review, state.TreeSize, state.RootHash, state.SignedAt, state.IsStale, update, problem, state.IsHalted,
        state.Evidence is { } evidence ? Names.Kebab(evidence.Kind) : null, state.EvidencePath, state.LogKeys, state.Checkpoint);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Review {Review}, archive log");
        if (Halted)
        {
            writer.WriteLine($"! ARCHIVE MISMATCH ({Evidence}): the log contradicted itself; reading stopped. Evidence (both signed checkpoints): {EvidencePath}");
        }

        if (Problem is not null)
        {
            writer.WriteLine($"! CHECKPOINT REFUSED: {Problem}");
        }

        if (TreeSize is null)
        {
            writer.WriteLine("  no verified checkpoint yet");
        }
        else
        {
            writer.WriteLine($"  verified checkpoint: {TreeSize} entries, root {RootHash}, signed {(SignedAt is { } t ? Times.Format(t) : "-")}{(Update is null ? string.Empty : $" ({Update})")}");
            if (Stale)
            {
                writer.WriteLine("  ! STALE: signed more than 24 hours ago; the log may be frozen for this device");
            }
        }

        foreach (var key in LogKeys)
        {
            writer.WriteLine($"  log key: {key}");
        }
    }
}
