using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// <c>sdlg read CHANNEL</c>: fetches the channel's items, verifies and decrypts each on this device, and prints them
/// with their verdicts; missing, late, replayed and invalid items appear as markers, never as content.
/// </summary>
internal static class ReadCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var channel = DialogueOptions.Channel();
        var review = DialogueOptions.Review();
        var since = DialogueOptions.Since("Show only items after this sequence (default 0: the whole history)");
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("read", "Read a channel: every item verified and decrypted on this device, with markers for problems")
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

            var after = parseResult.GetValue(since) ?? 0;
            if (after < 0)
            {
                return context.Fail(ExitCodes.Usage, "--since must not be negative");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, channelName, async (access, channelSession) =>
            {
                // Every item this device has not processed yet goes through the session (its sender ledger must see
                // each counter once, or a later read reports false gaps); --since only filters what is printed.
                var items = await channelSession.ReadAsync(Math.Min(after, channelSession.LastSequence), cancellationToken).ConfigureAwait(false);
                if (!items.TryGetValue(out var list, out var error))
                {
                    return context.Fail(access.Connection.Failure(error, $"read the '{channelName}' channel"));
                }

                var view = new ReadView(access.ReviewId, channelName, after, channelSession.CurrentEpoch, channelSession.LastSequence, channelSession.CanPost,
                    [.. list.Where(i => i.Sequence > after).Select(ItemView.Of)], [.. channelSession.Alerts.Select(AlertView.Of)]);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.ReadView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
