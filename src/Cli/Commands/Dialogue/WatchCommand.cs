using System.CommandLine;
using System.Text.Json;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Channels;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// <c>sdlg watch CHANNEL</c>: prints the channel's items as they arrive (the hub rings, sdlg fetches and verifies over
/// HTTP; it also catches up after reconnecting and re-checks membership periodically) until Ctrl-C. With
/// <c>--json</c>, one JSON object per line (NDJSON): items (<c>"type":"item"</c>) and alerts (<c>"type":"alert"</c>).
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var channel = DialogueOptions.Channel();
        var review = DialogueOptions.Review();
        var since = DialogueOptions.Since("Start after this sequence (default: after the last item this profile has seen; 0 for the whole history)");
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("watch", "Print a channel's items as they arrive, verified on this device, until Ctrl-C (NDJSON with --json)")
        {
            channel, review, since, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var channelName = parseResult.GetValue(channel)!;
            if (DialogueAccess.CheckChannel(channelName) is { } channelFailure)
            {
                return context.Fail(channelFailure);
            }

            var after = parseResult.GetValue(since);
            if (after < 0)
            {
                return context.Fail(ExitCodes.Usage, "--since must not be negative");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, channelName, async (access, channelSession) =>
            {
                var printer = new WatchPrinter(context.Out, parseResult.GetValue(global.Json), access.ReviewId);
                var epoch = channelSession.CurrentEpoch is { } e ? $"epoch {e}" : "no epoch yet";
                context.Error.WriteLine($"Watching '{channelName}' of review {access.ReviewId} ({epoch}) after sequence {after ?? channelSession.LastSequence}; Ctrl-C stops.");
                context.Error.Flush();
                printer.Alerts(channelSession.Alerts);
                try
                {
                    // As for read: unprocessed items always go through the session; --since filters what is printed.
                    var start = after is { } since ? Math.Min(since, channelSession.LastSequence) : (long?)null;
                    await foreach (var item in channelSession.WatchAsync(start, cancellationToken).ConfigureAwait(false))
                    {
                        if (item.Sequence <= after)
                        {
                            continue;
                        }

                        printer.Item(item);
                        printer.Alerts(channelSession.Alerts);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: the normal way to stop watching.
                }

                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed class WatchPrinter(TextWriter writer, bool json, Guid review)
    {
        private readonly HashSet<ChannelAlert> _shown = [];

        public void Item(DialogueItem item)
        {
            var view = ItemView.Of(item);
            if (json)
            {
                writer.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Lines.ItemView));
            }
            else
            {
                view.WriteText(writer);
            }

            writer.Flush();
        }

        public void Alerts(IReadOnlyList<ChannelAlert> alerts)
        {
            foreach (var alert in alerts.Where(_shown.Add))
            {
                var view = AlertView.Of(alert);
                if (json)
                {
                    writer.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Lines.AlertView));
                }
                else
                {
                    view.WriteText(writer, review);
                }
            }

            writer.Flush();
        }
    }
}
