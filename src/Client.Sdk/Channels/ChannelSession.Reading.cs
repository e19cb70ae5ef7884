using SecureDialogue.Client.Api;
using SecureDialogue.Client.Profile;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    /// <summary>
    /// Fetches the channel's items after <paramref name="sinceSequence"/>, opens and verifies each, and returns them
    /// with their verdicts in sequence order, with <see cref="DialogueItemStatus.Missing"/> entries where items
    /// were not delivered. Items already processed keep the verdict they got then (a replay stays a replay).
    /// </summary>
    /// <param name="sinceSequence">Return items with a greater sequence (0: the whole history).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The items, or the API error that stopped the fetch (items processed before it are remembered).</returns>
    public async Task<Result<IReadOnlyList<DialogueItem>, ApiError>> ReadAsync(long sinceSequence = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceSequence);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadCoreAsync(sinceSequence, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Result<IReadOnlyList<DialogueItem>, ApiError>> ReadCoreAsync(long since, CancellationToken cancellationToken)
    {
        if (_epochsDirty && await FetchEpochsAsync(cancellationToken).ConfigureAwait(false) is { } epochError)
        {
            return epochError;
        }

        var items = new List<DialogueItem>();
        var seen = new Dictionary<long, StoredEnvelope>();
        var pass = new ReadPass();
        var after = since;
        var fetch = FetchPageAsync(after, cancellationToken);
        var check = VerifyPageAsync(fetch, cancellationToken);
        try
        {
            while (true)
            {
                var page = await fetch.ConfigureAwait(false);
                if (!page.TryGetValue(out var envelopes, out var error))
                {
                    return error;
                }

                // The next page is on its way while this one is opened and verified: the server and the network work
                // meanwhile. Its start is the last sequence of this page, where processing this page ends.
                var ordered = envelopes.Items.OrderBy(i => i.Sequence).ToList();
                var last = ordered.Count > 0 ? ordered[^1].Sequence : after;
                var more = envelopes.Next is not null && last > after;
                var pageCheck = check;
                if (more)
                {
                    // The next page's archive check starts as soon as it arrives, while this page is opened.
                    fetch = FetchPageAsync(last, cancellationToken);
                    check = VerifyPageAsync(fetch, cancellationToken);
                }

                // Every item is checked by inclusion in the review's archive log first; a contradiction stops the read.
                var archive = await CheckArchiveAsync(pageCheck, cancellationToken).ConfigureAwait(false);
                if (archive.Stop)
                {
                    break;
                }

                foreach (var stored in ordered)
                {
                    if (stored.Sequence <= after)
                    {
                        Alert(new ChannelAlert(ChannelAlertKind.SequenceOutOfOrder, $"the server returned sequence {stored.Sequence} again or out of order"));
                        continue;
                    }

                    seen[stored.Sequence] = stored;
                    var filled = AddSequenceGaps(items, after, stored);
                    await ProcessAsync(items, stored, filled, pass, cancellationToken).ConfigureAwait(false);
                    if (archive.Statuses.TryGetValue(stored.Sequence, out var status) && items.Count > 0 && items[^1].Sequence == stored.Sequence)
                    {
                        items[^1] = items[^1] with { Archive = status };
                    }

                    after = stored.Sequence;
                }

                if (!more)
                {
                    break;
                }
            }

            await ApplyAmendmentsAsync(items, seen, cancellationToken).ConfigureAwait(false);
            return items;
        }
        finally
        {
            // A page fetched ahead and not used (the pass failed): its outcome is dropped.
            if (!fetch.IsCompleted)
            {
                _ = fetch.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (!check.IsCompleted)
            {
                _ = check.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            await FinishPassAsync(pass, items.Count, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<Result<EnvelopePage, ApiError>> FetchPageAsync(long after, CancellationToken cancellationToken) =>
        _core.Api.GetEnvelopesAsync(ReviewId, Channel, after, DialogueApiClient.MaxPageSize, cancellationToken);

    private async Task FinishPassAsync(ReadPass pass, int count, CancellationToken cancellationToken)
    {
        SaveState();
        if (pass.OwnCounter > 0)
        {
            // Reconcile: never seal a counter at or below one found in history (e.g. after restoring a profile).
            await _store.RaiseCounterAsync(pass.OwnCounter, _core.Time, cancellationToken).ConfigureAwait(false);
        }

        Log.Processed(_logger, count, _state.LastSequence);
    }

    // Missing sequences before an item: new ones are recorded; known ones are shown again on re-reads. Returns
    // true when the item is one the server skipped before and delivers now (it fills its gap).
    private bool AddSequenceGaps(List<DialogueItem> items, long after, StoredEnvelope stored)
    {
        if (stored.Sequence > _state.LastSequence + 1)
        {
            // Reading from a start above the processed sequence: what lies before the start was not asked for, so it
            // is no gap (only sequences after the start and before this item are missing).
            var from = Math.Max(_state.LastSequence, after) + 1;
            if (from > stored.Sequence - 1)
            {
                return false;
            }

            var gap = new SequenceGap(from, stored.Sequence - 1);
            _state.SequenceGaps.Add(gap);
            items.Add(MissingSequences(gap));
            return false;
        }

        var filled = false;
        var containing = _state.SequenceGaps.FirstOrDefault(g => g.From <= stored.Sequence && stored.Sequence <= g.To);
        if (containing is not null)
        {
            _state.SequenceGaps.Remove(containing);
            if (containing.From < stored.Sequence)
            {
                _state.SequenceGaps.Add(containing with { To = stored.Sequence - 1 });
            }

            if (stored.Sequence < containing.To)
            {
                _state.SequenceGaps.Add(containing with { From = stored.Sequence + 1 });
            }

            _state.SequenceGaps.Sort((a, b) => a.From.CompareTo(b.From));
            filled = true;
        }

        foreach (var gap in _state.SequenceGaps.Where(g => g.From > after && g.To < stored.Sequence))
        {
            items.Add(MissingSequences(gap));
        }

        return filled;
    }

    private static DialogueItem MissingSequences(SequenceGap gap) => new()
    {
        Sequence = gap.From,
        Status = DialogueItemStatus.Missing,
        MissingCount = (ulong)(gap.To - gap.From + 1),
        MissingSource = Channels.MissingSource.Sequence,
    };

    private async Task ProcessAsync(List<DialogueItem> items, StoredEnvelope stored, bool fillsGap, ReadPass pass, CancellationToken cancellationToken)
    {
        // First time this client sees this sequence: its counter is observed and its verdict cached.
        var isNew = stored.Sequence > _state.LastSequence || fillsGap;
        _state.LastSequence = Math.Max(_state.LastSequence, stored.Sequence);

        _verdicts.TryGetValue(stored.Sequence, out var cached);
        var decoded = Envelope.Decode(stored.Envelope ?? []);
        if (!decoded.TryGetValue(out var envelope, out var decodeError))
        {
            items.Add(Rejected(stored, decodeError, isNew));
            return;
        }

        var header = envelope.Header;
        if (header.Review == ReviewId && header.Channel == ChannelId && header.Epoch >= _chain.Records.Count && !pass.EpochsRefreshed)
        {
            // A newer epoch than this client knows: fetch records once per pass before judging.
            pass.EpochsRefreshed = true;
            await FetchEpochsAsync(cancellationToken).ConfigureAwait(false);
        }

        var historical = IsHistorical(stored.Sequence);
        var opened = EnvelopeOpener.Open(envelope, _keyring, historical);
        if (!opened.TryGetValue(out var item, out var openError))
        {
            items.Add(Rejected(stored, openError, isNew));
            return;
        }

        TightenBoundaries(header.Epoch, stored.Sequence);
        var check = isNew || cached?.Kind == CachedVerdictKind.Rejected ? Observe(stored.Sequence, header) : FromCache(cached);
        if (header.Sender == _core.Device.Id)
        {
            pass.OwnCounter = Math.Max(pass.OwnCounter, header.Counter);
        }

        var sender = SenderOf(header.Sender);
        if (check.Verdict == CounterVerdict.Gap)
        {
            items.Add(new DialogueItem
            {
                Sequence = stored.Sequence,
                Status = DialogueItemStatus.Missing,
                Sender = sender,
                MissingCount = check.Missing,
                MissingSource = Channels.MissingSource.SenderCounter,
            });
        }

        var status = check.Verdict switch
        {
            CounterVerdict.Replayed => DialogueItemStatus.Replayed,
            CounterVerdict.Late => DialogueItemStatus.Late,
            _ => DialogueItemStatus.Verified,
        };
        if (status != DialogueItemStatus.Replayed && !historical && _chain.Current is { } current && header.Epoch < current.Epoch)
        {
            status = DialogueItemStatus.StaleEpoch;
        }

        var content = status is DialogueItemStatus.Verified or DialogueItemStatus.Late;
        items.Add(new DialogueItem
        {
            Sequence = stored.Sequence,
            Status = status,
            StoredAt = stored.StoredAt,
            Sender = sender,
            Kind = header.Kind,
            Language = header.Language.Value,
            CreatedAt = header.CreatedAt,
            Epoch = header.Epoch,
            Counter = header.Counter,
            ClientMessageId = header.ClientMessageId,
            Segments = content ? item.Segments : null,
            Text = content ? item.Text : null,
        });
    }

    private CounterCheck Observe(long sequence, EnvelopeHeader header)
    {
        var check = _ledger.Observe(header.Sender, header.Counter);
        var kind = check.Verdict switch
        {
            CounterVerdict.Gap => CachedVerdictKind.Gap,
            CounterVerdict.Late => CachedVerdictKind.Late,
            CounterVerdict.Replayed => CachedVerdictKind.Replayed,
            _ => (CachedVerdictKind?)null,
        };
        if (kind is { } k)
        {
            _verdicts[sequence] = new CachedVerdict(sequence, k, check.Missing);
        }
        else
        {
            _verdicts.Remove(sequence);
        }

        return check;
    }

    private static CounterCheck FromCache(CachedVerdict? cached) => cached?.Kind switch
    {
        CachedVerdictKind.Gap => new CounterCheck(CounterVerdict.Gap, cached.Missing),
        CachedVerdictKind.Late => new CounterCheck(CounterVerdict.Late, 0),
        CachedVerdictKind.Replayed => new CounterCheck(CounterVerdict.Replayed, 0),
        _ => new CounterCheck(CounterVerdict.InOrder, 0),
    };

    private DialogueItem Rejected(StoredEnvelope stored, EnvelopeError error, bool isNew)
    {
        if (isNew)
        {
            _verdicts[stored.Sequence] = new CachedVerdict(stored.Sequence, CachedVerdictKind.Rejected, 0);
        }

        return new DialogueItem
        {
            Sequence = stored.Sequence,
            Status = DialogueItemStatuses.Of(error),
            Error = error,
            StoredAt = stored.StoredAt,
        };
    }

    private sealed class ReadPass
    {
        public bool EpochsRefreshed { get; set; }

        public ulong OwnCounter { get; set; }
    }
}
