using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;

namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>
/// <c>sdlg download CHANNEL:SEQUENCE --out PATH</c>: fetches the attachment of a verified document item, checks it against
/// the sender's signed manifest and only then moves it to PATH. Interrupted: the same command resumes the download.
/// </summary>
internal static class DownloadCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var item = new Argument<string>("ITEM") { Description = "The item as CHANNEL:SEQUENCE, e.g. dialogue:12 ('sdlg read' shows #12)" };
        var output = new Option<string>("--out")
        {
            Description = "Where to put the file: a file path, or an existing directory (then the sender's file name is used)",
            HelpName = "PATH",
            Required = true,
        };
        var force = new Option<bool>("--force") { Description = "Replace the file at PATH if it exists" };
        var review = DialogueOptions.Review();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("download", "Download an attachment: verified against the sender's signed manifest before it appears at PATH")
        {
            item, output, force, review, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var itemText = parseResult.GetValue(item)!;
            if (!ItemAddress.TryParse(itemText, out var address))
            {
                return context.Fail(ExitCodes.Usage, $"'{itemText}' is not an item: write CHANNEL:SEQUENCE, e.g. dialogue:12");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, address.Channel, async (access, channelSession) =>
            {
                var progress = new ProgressLine(context);
                var downloaded = await channelSession.DownloadFileAsync(
                    address.Sequence, parseResult.GetValue(output)!, parseResult.GetValue(force), progress, cancellationToken).ConfigureAwait(false);
                progress.Finish();
                if (!downloaded.TryGetValue(out var file, out var error))
                {
                    return context.Fail(TransferFailures.Of(error, access, $"download item {address}"));
                }

                var view = new DownloadedView(address.ToString(), file.Path, file.FileName, file.MediaType, file.PlaintextLength, file.ResumedBytes,
                    Math.Round(progress.ElapsedSeconds, 3));
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.DownloadedView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
