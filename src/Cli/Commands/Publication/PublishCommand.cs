using System.CommandLine;
using System.Globalization;
using SecureDialogue.Cli.Commands.Archive;
using SecureDialogue.Cli.Commands.Attachments;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Publication;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Cli.Commands.Publication;

/// <summary>
/// <c>sdlg publish CHANNEL:SEQUENCE [--segments 0,2] --audience states|public</c>: the focal point of the State under
/// review publishes an item, or some of its segments (P&amp;R 38, 40, 41; docs/protocol.md 18). The item is fetched
/// and opened again on this device; the record is built here (only the chosen segments and their salts, and the
/// documents of chosen file references, leave the device) with the item's inclusion proof against a checkpoint this
/// device verified and cosigned, signed with this device's key, and uploaded; the server verifies it before storing it.
/// <c>sdlg publish --withdraw ID</c> marks a publication withdrawn (the archive keeps it).
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var item = new Argument<string?>("ITEM") { Description = "The item as CHANNEL:SEQUENCE, e.g. dialogue:3 ('sdlg read' shows #3)", Arity = ArgumentArity.ZeroOrOne };
        var segments = new Option<string>("--segments")
        {
            Description = "The segments to publish, by index, comma-separated (default: all); the others are withheld and only their commitments are published",
            HelpName = "0,2,...",
        };
        var audience = new Option<string>("--audience") { Description = "states (all States parties, P&R 40) or public (P&R 41)", HelpName = "AUDIENCE" };
        audience.AcceptOnlyFromAmong("states", "public");
        var withdraw = new Option<string>("--withdraw") { Description = "Withdraw the publication with this id instead (the archive keeps it; the portal says it was withdrawn)", HelpName = "ID" };
        var review = DialogueOptions.Review();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("publish", "Publish an item, or some of its segments, with proofs (the focal point of the State under review); or --withdraw ID")
        {
            item, segments, audience, withdraw, review, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(global.Json);
            if (parseResult.GetValue(withdraw) is { } publicationId)
            {
                if (parseResult.GetValue(item) is not null || parseResult.GetValue(segments) is not null || parseResult.GetValue(audience) is not null)
                {
                    return context.Fail(ExitCodes.Usage, "--withdraw ID takes no ITEM, --segments or --audience");
                }

                return await ArchiveBundleCommands.WithServerAsync(context, parseResult.GetValue(global.Profile), parseResult.GetValue(review), async (connection, reviewId) =>
                {
                    var withdrawn = await connection.Api.WithdrawPublicationAsync(reviewId, publicationId, cancellationToken).ConfigureAwait(false);
                    if (!withdrawn.TryGetValue(out var entry, out var error))
                    {
                        return context.Fail(connection.Failure(error, "withdraw the publication"));
                    }

                    var view = PublishedView.Of(entry, connection.Server, "withdrawn");
                    CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.PublishedView, static (v, w) => v.WriteText(w));
                    return ExitCodes.Ok;
                }, cancellationToken).ConfigureAwait(false);
            }

            var itemText = parseResult.GetValue(item);
            if (!ItemAddress.TryParse(itemText, out var address))
            {
                return context.Fail(ExitCodes.Usage, itemText is null ? "give the ITEM to publish (CHANNEL:SEQUENCE), or --withdraw ID" : $"'{itemText}' is not an item: write CHANNEL:SEQUENCE, e.g. dialogue:3");
            }

            if (parseResult.GetValue(audience) is not { } audienceText)
            {
                return context.Fail(ExitCodes.Usage, "choose the audience: --audience states (all States parties) or --audience public");
            }

            var chosen = ParseSegments(parseResult.GetValue(segments));
            if (chosen is { Count: 0 })
            {
                return context.Fail(ExitCodes.Usage, "--segments is a comma-separated list of segment indexes, e.g. 0,2");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, address.Channel, async (access, channelSession) =>
            {
                var built = await BuildAsync(access, channelSession, address, chosen, audienceText == "public" ? PublicationAudience.Public : PublicationAudience.StatesParties, cancellationToken)
                    .ConfigureAwait(false);
                if (!built.TryGetValue(out var record, out var failure))
                {
                    return context.Fail(failure);
                }

                var posted = await access.Connection.Api.PublishAsync(access.ReviewId, record.Encoded, cancellationToken).ConfigureAwait(false);
                if (!posted.TryGetValue(out var entry, out var error))
                {
                    return context.Fail(access.Connection.Failure(error, $"publish item {address}"));
                }

                var view = PublishedView.Of(entry, access.Connection.Server, "stored");
                CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.PublishedView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    // Null: every segment; empty: not a list.
    private static List<int>? ParseSegments(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var indexes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > EnvelopeHeader.MaxSegments || indexes.Contains(index))
            {
                return [];
            }

            indexes.Add(index);
        }

        return indexes;
    }

    private static async Task<Vault.Result<PublicationRecord, CommandFailure>> BuildAsync(
        DialogueAccess access, ChannelSession session, ItemAddress address, List<int>? chosen, PublicationAudience audience, CancellationToken cancellationToken)
    {
        var prepared = await session.PreparePublicationAsync(address.Sequence, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var draft, out var prepareError))
        {
            return prepareError switch
            {
                { NotFound: true } => new CommandFailure(ExitCodes.Refused, $"there is no item {address}"),
                { Api: { } api } => access.Connection.Failure(api, $"fetch item {address}"),
                _ => new CommandFailure(ExitCodes.Failed, $"item {address} does not open on this device: {prepareError}"),
            };
        }

        var indexes = chosen ?? [.. Enumerable.Range(0, draft.Segments.Count)];
        if (indexes.FirstOrDefault(i => i >= draft.Segments.Count, -1) is var beyond and >= 0)
        {
            return new CommandFailure(ExitCodes.Usage, $"item {address} has {draft.Segments.Count} segment(s) (0 to {draft.Segments.Count - 1}); there is no segment {beyond}");
        }

        if (draft.PublisherState is null || draft.AuthorState is null)
        {
            return new CommandFailure(ExitCodes.Refused, "the review's directory gives no State code for the author or for you: only the focal point of the State under review publishes");
        }

        draft.Audience = audience;
        foreach (var index in indexes.Order())
        {
            draft.Disclose(index);
            if (draft.Segments[index].Kind == SegmentKind.FileReference)
            {
                var document = await DocumentAsync(access, session, address, cancellationToken).ConfigureAwait(false);
                if (!document.TryGetValue(out var bytes, out var documentFailure))
                {
                    return documentFailure;
                }

                draft.AddDocument(index, bytes);
            }
        }

        if (draft.ArchiveEntry is not { } entry)
        {
            return new CommandFailure(ExitCodes.Failed, $"the server gave no archive index for item {address}: it cannot be proven yet");
        }

        var proved = await access.Client.GetArchive(access.ReviewId).ProveForPublicationAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!proved.TryGetValue(out var proof, out var proofError))
        {
            return proofError.Api is { } api
                ? access.Connection.Failure(api, "fetch the item's archive proof")
                : new CommandFailure(ExitCodes.Failed, $"the item's archive proof did not verify on this device ({proofError})");
        }

        try
        {
            return draft.WithArchive(entry, proof.Proof, proof.Checkpoint, proof.Cosigners).Build();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return new CommandFailure(ExitCodes.Failed, $"the publication record could not be built: {e.Message}");
        }
    }

    // The item's document, downloaded and checked against the author's manifest into a private temporary directory.
    private static async Task<Vault.Result<byte[], CommandFailure>> DocumentAsync(DialogueAccess access, ChannelSession session, ItemAddress address, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sdlg-publish-");
        try
        {
            var downloaded = await session.DownloadFileAsync(address.Sequence, Path.Combine(directory.FullName, "document"), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!downloaded.TryGetValue(out var file, out var error))
            {
                return TransferFailures.Of(error, access, $"download the document of item {address}");
            }

            return await File.ReadAllBytesAsync(file.Path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
