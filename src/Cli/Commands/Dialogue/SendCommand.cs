using System.CommandLine;
using SecureDialogue.Cli.Commands.Attachments;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// <c>sdlg send CHANNEL [TEXT]</c>: seals the text on this device for the channel's current epoch and sends it. The
/// server stores ciphertext only. Unreachable: the sealed item stays queued in the profile (exit 6).
/// </summary>
internal static class SendCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var channel = DialogueOptions.Channel();
        var text = new Argument<string?>("TEXT")
        {
            Description = "The text to send; '-' or nothing reads it from standard input",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var review = DialogueOptions.Review();
        var file = new Option<string>("--file") { Description = "Send the text of this UTF-8 file (for long text)", HelpName = "PATH" };
        var kind = new Option<string>("--kind")
        {
            Description = $"What the item is: {Names.All<ItemKind>(k => k != ItemKind.Document)} (default dialogue-message)",
            HelpName = "KIND",
        };
        var language = new Option<string>("--language")
        {
            Description = "The text's language tag, e.g. en, fr, es (default: the review's first working language)",
            HelpName = "TAG",
        };
        var more = new Option<string[]>("--segment")
        {
            Description = "Another text segment after TEXT (repeatable): segments can later be published or withheld one by one",
            HelpName = "TEXT",
        };
        var corrects = new Option<string>("--corrects")
        {
            Description = "Send the text as the correction of an item this device sent (CHANNEL:SEQUENCE in this channel): both items stay, the old one marked corrected",
            HelpName = "ITEM",
        };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("send", "Send text to a channel, sealed on this device (TEXT, '-' for standard input, or --file); --corrects ITEM to correct an own item")
        {
            channel, text, review, file, kind, language, more, corrects, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var channelName = parseResult.GetValue(channel)!;
            if (DialogueAccess.CheckChannel(channelName) is { } channelFailure)
            {
                return context.Fail(channelFailure);
            }

            ItemAddress? corrected = null;
            if (parseResult.GetValue(corrects) is { } correctsText)
            {
                if (!ItemAddress.TryParse(correctsText, out var address) || address.Channel != channelName)
                {
                    return context.Fail(ExitCodes.Usage, $"--corrects '{correctsText}' is not an item of '{channelName}': write {channelName}:SEQUENCE, e.g. {channelName}:3");
                }

                corrected = address;
            }

            var itemKind = ItemKind.DialogueMessage;
            if (parseResult.GetValue(kind) is { } kindText && (!Names.TryParse(kindText, out itemKind) || itemKind == ItemKind.Document))
            {
                return context.Fail(ExitCodes.Usage, $"--kind '{kindText}' is not one of {Names.All<ItemKind>(k => k != ItemKind.Document)}");
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

            var message = await MessageText.ReadAsync(context, parseResult.GetValue(text), parseResult.GetValue(file), cancellationToken).ConfigureAwait(false);
            if (!message.TryGetValue(out var body, out var failure))
            {
                return context.Fail(failure);
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, channelName, async (access, channelSession) =>
            {
                // The SDK's default: the review's first working language, else English.
                var itemLanguage = tag ?? channelSession.Review.Languages.Select(l => LanguageTag.TryParse(l, out var t) ? t : (LanguageTag?)null)
                    .FirstOrDefault(t => t is not null) ?? LanguageTag.English;
                IReadOnlyList<Segment> segments = [Segment.Text(body), .. (parseResult.GetValue(more) ?? []).Select(Segment.Text)];
                if (corrected is { } target)
                {
                    // The original's kind and language unless given: a correction replaces the text, not what the item is.
                    var correction = await channelSession.CorrectAsync(
                        target.Sequence, segments, parseResult.GetValue(kind) is null ? null : itemKind, tag, cancellationToken).ConfigureAwait(false);
                    if (!correction.TryGetValue(out var entry, out var correctionError))
                    {
                        return context.Fail(correctionError.Kind is SendErrorKind.NotAuthor or SendErrorKind.Offline or SendErrorKind.Refused
                            ? RetractCommand.Failure(correctionError, access, target, "correct")
                            : Failure(correctionError, access, channelSession));
                    }

                    var amended = AmendedView.Of(access.ReviewId, channelName, entry);
                    CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), amended, CliJsonContext.Output.AmendedView, static (v, w) => v.WriteText(w));
                    return ExitCodes.Ok;
                }

                var sent = await channelSession.SendAsync(segments, itemKind, itemLanguage, cancellationToken).ConfigureAwait(false);
                if (!sent.TryGetValue(out var item, out var error))
                {
                    return context.Fail(Failure(error, access, channelSession));
                }

                var view = new SentView(access.ReviewId, channelName, item.Sequence, item.Duplicate, item.Queued, item.Epoch, item.Counter, item.ClientMessageId,
                    Names.Kebab(itemKind), itemLanguage.Value, segments.Sum(s => s.Content.Length));
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.SentView, static (v, w) => v.WriteText(w));
                return item.Queued
                    ? context.Fail(ExitCodes.ServerUnreachable, $"the server at {access.Connection.Server} could not be reached: the item is queued in the profile's outbox")
                    : ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static CommandFailure Failure(SendError error, DialogueAccess access, ChannelSession session) => error.Kind switch
    {
        SendErrorKind.NotAllowed => new CommandFailure(ExitCodes.Refused, $"you may not post in '{session.Channel}': observers read and never post"),
        SendErrorKind.NoKey => new CommandFailure(ExitCodes.Failed,
            $"this device holds no key for the current epoch of '{session.Channel}' yet: a member who manages the channel adds it when they next open it (see 'sdlg reviews show' for trust alerts)"),
        SendErrorKind.TooLarge => new CommandFailure(ExitCodes.Usage, "the text is larger than one item carries (1 MiB)"),
        SendErrorKind.Refused when error.Api is { } api => access.Connection.Failure(api, $"store the item in '{session.Channel}'"),
        _ => new CommandFailure(ExitCodes.Failed, $"the item was not sent ({error.Kind})"),
    };
}
