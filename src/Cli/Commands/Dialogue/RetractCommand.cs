using System.CommandLine;
using SecureDialogue.Cli.Commands.Attachments;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Channels;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// <c>sdlg retract CHANNEL:SEQUENCE</c>: this device signs the retraction of an item it sent (docs/protocol.md 21).
/// Nothing is deleted: readers see the item marked retracted, and the statement is in the review's archive log.
/// </summary>
internal static class RetractCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var item = new Argument<string>("ITEM") { Description = "The item as CHANNEL:SEQUENCE, e.g. dialogue:3 ('sdlg read' shows #3); only its sender's device retracts it" };
        var review = DialogueOptions.Review();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("retract", "Retract an item this device sent (it stays in the archive, marked retracted)") { item, review, passphraseFile };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var itemText = parseResult.GetValue(item);
            if (!ItemAddress.TryParse(itemText, out var address))
            {
                return context.Fail(ExitCodes.Usage, $"'{itemText}' is not an item: write CHANNEL:SEQUENCE, e.g. dialogue:3");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, address.Channel, async (access, channelSession) =>
            {
                var retracted = await channelSession.RetractAsync(address.Sequence, cancellationToken).ConfigureAwait(false);
                if (!retracted.TryGetValue(out var entry, out var error))
                {
                    return context.Fail(Failure(error, access, address, "retract"));
                }

                var view = AmendedView.Of(access.ReviewId, address.Channel, entry);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.AmendedView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Why a correction or retraction was not made, as the command reports it.</summary>
    internal static CommandFailure Failure(SendError error, DialogueAccess access, ItemAddress address, string what) => error.Kind switch
    {
        SendErrorKind.NotAuthor => new CommandFailure(ExitCodes.Refused, $"item {address} was not sent by this device: only its sender's device may {what} it"),
        SendErrorKind.Offline => new CommandFailure(ExitCodes.ServerUnreachable, $"the server at {access.Connection.Server} could not be reached: nothing was {what}ed"),
        _ when error.Api is { } api => access.Connection.Failure(api, $"{what} item {address}"),
        _ => new CommandFailure(ExitCodes.Failed, $"item {address} was not {what}ed ({error.Kind})"),
    };
}
