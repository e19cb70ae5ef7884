using SecureDialogue.Client.Api;
using SecureDialogue.Client.Archive;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    /// <summary>Corrects one of this device's items with a new text. See <see cref="CorrectAsync(long, IReadOnlyList{Segment}, ItemKind?, LanguageTag?, CancellationToken)"/>.</summary>
    public Task<Result<AmendmentEntry, SendError>> CorrectAsync(DialogueItem item, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(text);
        return CorrectAsync(item.Sequence, [Segment.Text(text)], null, null, cancellationToken);
    }

    /// <summary>
    /// Corrects the item at <paramref name="sequence"/>, which this device sent (docs/protocol.md 21): the new content is
    /// sent first as an ordinary item (end-to-end encrypted like any other), then the signed statement linking the two.
    /// Nothing is deleted: readers see the original marked "corrected by" the new item.
    /// </summary>
    /// <param name="sequence">The channel sequence of the item to correct.</param>
    /// <param name="segments">The corrected content.</param>
    /// <param name="kind">What the new item is. <value>Default: the original's kind.</value></param>
    /// <param name="language">Its language. <value>Default: the original's.</value></param>
    /// <param name="cancellationToken">Cancels the correction.</param>
    /// <returns>The stored statement, or why it was not made (<see cref="SendErrorKind.NotAuthor"/> for another's item).</returns>
    public async Task<Result<AmendmentEntry, SendError>> CorrectAsync(
        long sequence, IReadOnlyList<Segment> segments, ItemKind? kind = null, LanguageTag? language = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var target = await FetchOwnAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (!target.TryGetValue(out var original, out var targetError))
        {
            return targetError;
        }

        var sent = await SendAsync(segments, kind ?? original.Envelope.Header.Kind, language ?? original.Envelope.Header.Language, cancellationToken).ConfigureAwait(false);
        if (!sent.TryGetValue(out var item, out var sendError))
        {
            return sendError;
        }

        if (item.Sequence is not { } replacementSequence)
        {
            return new SendError(SendErrorKind.Offline, null);
        }

        var replacement = await FetchOwnAsync(replacementSequence, cancellationToken).ConfigureAwait(false);
        if (!replacement.TryGetValue(out var corrected, out var replacementError))
        {
            return replacementError;
        }

        var statement = AmendmentCodec.SignCorrection(original.Envelope, corrected.Envelope, _core.Device, _core.Time.GetUtcNow());
        return await SubmitAsync(new SubmitAmendment(statement.Encoded, sequence, replacementSequence), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retracts an item this device sent. See <see cref="RetractAsync(long, CancellationToken)"/>.</summary>
    public Task<Result<AmendmentEntry, SendError>> RetractAsync(DialogueItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return RetractAsync(item.Sequence, cancellationToken);
    }

    /// <summary>
    /// Retracts the item at <paramref name="sequence"/>, which this device sent (docs/protocol.md 21): a signed statement
    /// readers show as "retracted at"; the item itself stays in the channel and the archive. An item is retracted once.
    /// </summary>
    public async Task<Result<AmendmentEntry, SendError>> RetractAsync(long sequence, CancellationToken cancellationToken = default)
    {
        var target = await FetchOwnAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (!target.TryGetValue(out var original, out var error))
        {
            return error;
        }

        var statement = AmendmentCodec.SignRetraction(original.Envelope, _core.Device, _core.Time.GetUtcNow());
        return await SubmitAsync(new SubmitAmendment(statement.Encoded, sequence, null), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<AmendmentEntry, SendError>> SubmitAsync(SubmitAmendment request, CancellationToken cancellationToken)
    {
        var stored = await _core.Api.SubmitAmendmentAsync(ReviewId, Channel, request, cancellationToken).ConfigureAwait(false);
        return stored.TryGetValue(out var entry, out var error)
            ? entry
            : new SendError(error.IsTransient ? SendErrorKind.Offline : error.Is(ProblemTypes.NotAuthor) ? SendErrorKind.NotAuthor : SendErrorKind.Refused, error);
    }

    // The channel's envelope at a sequence, which must be this device's.
    private async Task<Result<(StoredEnvelope Stored, Envelope Envelope), SendError>> FetchOwnAsync(long sequence, CancellationToken cancellationToken)
    {
        var fetched = await FetchAtAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (!fetched.TryGetValue(out var found, out var error))
        {
            return new SendError(error.IsTransient ? SendErrorKind.Offline : SendErrorKind.Refused, error);
        }

        return found is { } f && f.Envelope.Header.Sender == _core.Device.Id ? f : new SendError(SendErrorKind.NotAuthor, null);
    }

    private async Task<Result<(StoredEnvelope Stored, Envelope Envelope)?, ApiError>> FetchAtAsync(long sequence, CancellationToken cancellationToken)
    {
        if (sequence < 1)
        {
            return ((StoredEnvelope, Envelope)?)null;
        }

        var page = await _core.Api.GetEnvelopesAsync(ReviewId, Channel, sequence - 1, 1, cancellationToken).ConfigureAwait(false);
        if (!page.TryGetValue(out var envelopes, out var error))
        {
            return error;
        }

        return envelopes.Items.FirstOrDefault(i => i.Sequence == sequence) is { Envelope: { } bytes } stored && Envelope.Decode(bytes).TryGetValue(out var envelope, out _)
            ? (stored, envelope)
            : ((StoredEnvelope, Envelope)?)null;
    }

    // Fetches the channel's statements and marks the items they verifiably amend (docs/protocol.md 21.5): signature by
    // the author's card from the target's epoch record, the author rule against the envelopes, inclusion in the log.
    private async Task ApplyAmendmentsAsync(List<DialogueItem> items, Dictionary<long, StoredEnvelope> seen, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var fetched = await _core.Api.GetAmendmentsAsync(ReviewId, Channel, cancellationToken).ConfigureAwait(false);
        if (!fetched.TryGetValue(out var amendments, out var error))
        {
            Alert(new ChannelAlert(ChannelAlertKind.ArchiveUnverified, $"corrections and retractions could not be fetched ({error.Type})") { Api = error });
            return;
        }

        // Only the statements about items of this read are checked (and cost proofs or fetches).
        var shown = items.Where(i => i.Status != DialogueItemStatus.Missing).Select(i => i.Sequence).ToHashSet();
        amendments = [.. amendments.Where(a => shown.Contains(a.TargetSequence) || (a.ReplacementSequence is { } r && shown.Contains(r)))];
        if (amendments.Count == 0)
        {
            return;
        }

        var statuses = new Dictionary<long, ArchiveStatus>();
        if (_core.Options.VerifyArchive)
        {
            var archive = _core.Archive(ReviewId);
            var checkedAmendments = Report(archive, await archive.VerifyAmendmentsAsync(amendments, MayCosign, cancellationToken).ConfigureAwait(false), "corrections and retractions");
            if (checkedAmendments.Stop)
            {
                return;
            }

            statuses = checkedAmendments.Statuses;
        }

        foreach (var entry in amendments)
        {
            if (statuses.TryGetValue(entry.ArchiveIndex, out var status) && status == ArchiveStatus.Failed)
            {
                continue;
            }

            var problem = await CheckAmendmentAsync(entry, seen, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                Alert(new ChannelAlert(ChannelAlertKind.AmendmentRejected, $"the amendment at archive index {entry.ArchiveIndex} was ignored: {problem}"));
                continue;
            }

            Mark(items, entry);
        }
    }

    private static void Mark(List<DialogueItem> items, AmendmentEntry entry)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Status == DialogueItemStatus.Missing)
            {
                continue;
            }

            if (items[i].Sequence == entry.TargetSequence)
            {
                items[i] = entry.ReplacementSequence is { } by ? items[i] with { CorrectedBy = by } : items[i] with { RetractedAt = entry.StoredAt };
            }
            else if (entry.ReplacementSequence == items[i].Sequence)
            {
                items[i] = items[i] with { Corrects = entry.TargetSequence };
            }
        }
    }

    // Null when the statement verifies; otherwise why not (no content in the reason).
    private async Task<string?> CheckAmendmentAsync(AmendmentEntry entry, Dictionary<long, StoredEnvelope> seen, CancellationToken cancellationToken)
    {
        if (!AmendmentCodec.Decode(entry.Statement ?? []).TryGetValue(out var decoded, out var decodeError))
        {
            return $"the statement does not decode ({decodeError})";
        }

        var amendment = decoded.Amendment;
        var action = amendment.Action == AmendmentAction.Correct ? "correct" : "retract";
        if (amendment.Review != ReviewId || amendment.Channel != ChannelId || action != entry.Action ||
            (amendment.Action == AmendmentAction.Correct) != entry.ReplacementSequence.HasValue)
        {
            return "the statement is for another review, channel or action than served";
        }

        var target = await EnvelopeAtAsync(entry.TargetSequence, seen, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return $"the amended item {entry.TargetSequence} is not in the channel";
        }

        if (target.Value.Envelope.Header.Epoch >= _chain.Records.Count ||
            _chain.Records[(int)target.Value.Envelope.Header.Epoch].FindMember(amendment.Author) is not { } author)
        {
            return "the author is not a member of the amended item's epoch";
        }

        if (!AmendmentCodec.Verify(entry.Statement, author.Device).IsSuccess)
        {
            return "the signature does not verify with the author's card";
        }

        if (!AmendmentCodec.Names(amendment, target.Value.Envelope) || target.Value.Stored.ArchiveIndex is { } index && index != entry.TargetArchiveIndex)
        {
            return $"the statement's author did not send item {entry.TargetSequence}, or names another envelope";
        }

        if (entry.ReplacementSequence is { } replacementSequence)
        {
            var replacement = await EnvelopeAtAsync(replacementSequence, seen, cancellationToken).ConfigureAwait(false);
            if (replacement is null || replacementSequence <= entry.TargetSequence || !AmendmentCodec.Names(amendment, replacement.Value.Envelope, replacement: true))
            {
                return $"item {replacementSequence} is not the author's replacement the statement names";
            }
        }

        return null;
    }

    private async Task<(StoredEnvelope Stored, Envelope Envelope)?> EnvelopeAtAsync(long sequence, Dictionary<long, StoredEnvelope> seen, CancellationToken cancellationToken)
    {
        if (seen.TryGetValue(sequence, out var stored))
        {
            return stored.Envelope is { } bytes && Envelope.Decode(bytes).TryGetValue(out var envelope, out _) ? (stored, envelope) : null;
        }

        var fetched = await FetchAtAsync(sequence, cancellationToken).ConfigureAwait(false);
        return fetched.IsSuccess ? fetched.Value : null;
    }
}
