using SecureDialogue.Client.Api;
using SecureDialogue.Client.Outbox;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    private const int MaxReseals = 2;

    /// <summary>Sends one paragraph of text. See <see cref="SendAsync(IReadOnlyList{Segment}, ItemKind, LanguageTag?, CancellationToken)"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="kind">What the item is. <value>Default: a dialogue message.</value></param>
    /// <param name="language">Its language. <value>Default: the review's first working language, else English.</value></param>
    /// <param name="cancellationToken">Cancels the send (a sealed item stays in the outbox).</param>
    public Task<Result<SentItem, SendError>> SendAsync(string text, ItemKind kind = ItemKind.DialogueMessage, LanguageTag? language = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync([Segment.Text(text)], kind, language, cancellationToken);
    }

    /// <summary>
    /// Seals an item with the next own counter (saved before anything is sent, so it is never reused), puts the
    /// sealed bytes in the outbox, and sends them through the hub (HTTP when the hub is down). A lost
    /// acknowledgement is retried with the same bytes, so the server stores the item once. When the server
    /// cannot be reached, the item stays queued and is sent on reconnect or the next open.
    /// </summary>
    /// <param name="segments">The item's segments.</param>
    /// <param name="kind">What the item is.</param>
    /// <param name="language">Its language. <value>Default: the review's first working language, else English.</value></param>
    /// <param name="cancellationToken">Cancels the send (a sealed item stays in the outbox).</param>
    public async Task<Result<SentItem, SendError>> SendAsync(IReadOnlyList<Segment> segments, ItemKind kind, LanguageTag? language = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count is 0 or > EnvelopeHeader.MaxSegments || EnvelopeSealer.PlaintextLength(segments) > EnvelopeSealer.MaxPlaintextLength)
        {
            return new SendError(SendErrorKind.TooLarge, null);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ChannelRules.MayPost(_review, _me, ChannelId))
            {
                return new SendError(SendErrorKind.NotAllowed, null);
            }

            var draft = new EnvelopeDraft
            {
                Review = ReviewId,
                Channel = ChannelId,
                Kind = kind,
                Language = language ?? DefaultLanguage(),
                Segments = segments,
            };
            var sealedEntry = await SealAsync(draft, cancellationToken).ConfigureAwait(false);
            if (!sealedEntry.TryGetValue(out var entry, out var sealError))
            {
                return sealError;
            }

            return await DeliverAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends what the outbox holds, oldest first, with the same bytes as before. Returns how many items stay queued.</summary>
    public async Task<int> FlushOutboxAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var entry in _outbox.List())
            {
                var result = await DeliverAsync(entry, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess && result.Value.Queued)
                {
                    break;
                }
            }

            return _outbox.List().Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Result<OutboxEntry, SendError>> SealAsync(EnvelopeDraft draft, CancellationToken cancellationToken)
    {
        var key = _keyring.Current;
        if (key is null && await RefreshCoreAsync(reloadReview: true, cancellationToken).ConfigureAwait(false) is null)
        {
            key = _keyring.Current;
        }

        if (key is null)
        {
            return new SendError(SendErrorKind.NoKey, null);
        }

        // Saved before sealing: a counter handed out is never handed out again, even if this process dies now.
        var counter = await _store.ReserveCounterAsync(_ledger.Last(_core.Device.Id), _core.Time, cancellationToken).ConfigureAwait(false);
        var envelope = EnvelopeSealer.Seal(_core.Device, key, counter, draft, _core.Time.GetUtcNow());
        var header = envelope.Header;
        var entry = new OutboxEntry(header.ClientMessageId, header.Counter, header.Epoch, envelope.Encoded.ToArray());
        _outbox.Put(entry);
        return entry;
    }

    // Sends an outbox entry: hub first, HTTP when the hub is down or drops during the send (same bytes: the
    // server deduplicates by client message id). A stale epoch or a counter the server already has means this
    // client was behind: it catches up, reseals the same item (same client message id, new counter) and retries.
    private async Task<Result<SentItem, SendError>> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        for (var reseals = 0; ; reseals++)
        {
            var request = new SendEnvelope(ReviewId, Channel, entry.Envelope);
            var result = await _core.Hub.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess && result.Error.Is(ApiError.Unreachable))
            {
                result = await _core.Api.PostEnvelopeAsync(request, cancellationToken).ConfigureAwait(false);
            }

            if (result.TryGetValue(out var ack, out var error))
            {
                _outbox.Remove(entry.ClientMessageId);
                return new SentItem(entry.ClientMessageId, entry.Counter, entry.Epoch, ack.Sequence, ack.Duplicate);
            }

            if (error.IsTransient)
            {
                Log.Queued(_logger, entry.ClientMessageId, entry.Envelope.Length);
                return new SentItem(entry.ClientMessageId, entry.Counter, entry.Epoch, null, false);
            }

            if ((error.Is(ProblemTypes.StaleEpoch) || error.Is(ProblemTypes.ReplayedCounter)) && reseals < MaxReseals)
            {
                var resealed = await ResealAsync(entry, cancellationToken).ConfigureAwait(false);
                if (!resealed.TryGetValue(out var next, out var resealError))
                {
                    _outbox.Remove(entry.ClientMessageId);
                    return resealError;
                }

                Log.Resealed(_logger, next.ClientMessageId, next.Counter, error.Type);
                entry = next;
                continue;
            }

            _outbox.Remove(entry.ClientMessageId);
            return new SendError(SendErrorKind.Refused, error);
        }
    }

    private async Task<Result<OutboxEntry, SendError>> ResealAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        // A fresh review and directory first: rotating on a stale member list could re-add a removed member.
        if (await RefreshCoreAsync(reloadReview: true, cancellationToken).ConfigureAwait(false) is { } refreshError)
        {
            return new SendError(SendErrorKind.Refused, refreshError);
        }

        // Catch up so the own counter is above anything the server holds.
        var caughtUp = await ReadCoreAsync(_state.LastSequence, cancellationToken).ConfigureAwait(false);
        if (!caughtUp.IsSuccess)
        {
            return new SendError(SendErrorKind.Refused, caughtUp.Error);
        }

        // The plaintext is not kept anywhere: open the own sealed item again with the old epoch's key.
        var opened = EnvelopeOpener.Open(entry.Envelope, _keyring, historical: true);
        if (!opened.TryGetValue(out var item, out _) || _keyring.Current is null)
        {
            return new SendError(SendErrorKind.NoKey, null);
        }

        var header = item.Header;
        var draft = new EnvelopeDraft
        {
            Review = ReviewId,
            Channel = ChannelId,
            Kind = header.Kind,
            Language = header.Language,
            Segments = item.Segments,
            ClientMessageId = header.ClientMessageId,
        };
        return await SealAsync(draft, cancellationToken).ConfigureAwait(false);
    }

    private LanguageTag DefaultLanguage() =>
        _review.Languages.Select(l => LanguageTag.TryParse(l, out var tag) ? tag : (LanguageTag?)null).FirstOrDefault(t => t is not null) ?? LanguageTag.English;
}
