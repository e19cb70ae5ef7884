using System.CommandLine;
using System.Globalization;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>
/// <c>sdlg attach CHANNEL FILE</c>: encrypts the file on this device, uploads the ciphertext in parts and sends a document
/// item carrying the encrypted manifest. Interrupted (Ctrl-C, lost connection, killed): the same command resumes from the
/// parts the server acknowledged.
/// </summary>
internal static class AttachCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var channel = DialogueOptions.Channel();
        var file = new Argument<string>("FILE") { Description = "The file to attach (encrypted on this device; the server stores ciphertext only)" };
        var review = DialogueOptions.Review();
        var name = new Option<string>("--name") { Description = "The file name readers see (default: FILE's name)", HelpName = "NAME" };
        var type = new Option<string>("--type") { Description = "The media type readers see, e.g. application/pdf (default: from the extension)", HelpName = "TYPE" };
        var language = new Option<string>("--language") { Description = "The item's language tag (default: the review's first working language)", HelpName = "TAG" };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("attach", "Attach a file to a channel: encrypted here, uploaded in resumable parts, announced by a document item")
        {
            channel, file, review, name, type, language, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var channelName = parseResult.GetValue(channel)!;
            if (DialogueAccess.CheckChannel(channelName) is { } channelFailure)
            {
                return context.Fail(channelFailure);
            }

            var path = Path.GetFullPath(parseResult.GetValue(file)!);
            if (!File.Exists(path))
            {
                return context.Fail(ExitCodes.Failed, $"{path} does not exist or is not a file");
            }

            var fileName = parseResult.GetValue(name) ?? Path.GetFileName(path);
            if (!AttachmentNames.IsValidFileName(fileName))
            {
                return context.Fail(ExitCodes.Usage, $"'{fileName}' is not a file name readers can be given (1-1024 UTF-8 bytes, no '/', '\\' or control characters)");
            }

            var mediaType = parseResult.GetValue(type) ?? MediaTypes.Guess(fileName);
            if (!AttachmentNames.IsValidMediaType(mediaType))
            {
                return context.Fail(ExitCodes.Usage, $"--type '{mediaType}' is not a media type (lower-case type/subtype, e.g. application/pdf)");
            }

            LanguageTag? tag = null;
            if (parseResult.GetValue(language) is { } languageText)
            {
                if (!LanguageTag.TryParse(languageText, out var parsed))
                {
                    return context.Fail(ExitCodes.Usage, $"--language '{languageText}' is not a language tag (e.g. en, fr, es-419)");
                }

                tag = parsed;
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, channelName, async (access, channelSession) =>
            {
                var progress = new ProgressLine(context);
                var sent = await channelSession.SendFileAsync(path, new AttachmentDescription(fileName, mediaType), tag, progress, cancellationToken)
                    .ConfigureAwait(false);
                progress.Finish();
                if (!sent.TryGetValue(out var attached, out var error))
                {
                    return context.Fail(TransferFailures.Of(error, access, $"upload {fileName} into '{channelName}'"));
                }

                var item = attached.Item;
                var view = new AttachedView(access.ReviewId, channelName, item.Sequence, item.Queued,
                    item.Sequence is { } s ? new ItemAddress(channelName, s).ToString() : null, fileName, mediaType, attached.PlaintextLength,
                    attached.CiphertextLength, attached.BlobId, attached.Resumed, attached.PartsSent, attached.PartsSkipped,
                    Math.Round(progress.ElapsedSeconds, 3));
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.AttachedView, static (v, w) => v.WriteText(w));
                return item.Queued
                    ? context.Fail(ExitCodes.ServerUnreachable, $"the server at {access.Connection.Server} could not be reached: the item is queued in the profile's outbox")
                    : ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
