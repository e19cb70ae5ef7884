using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Profile;
using SecureDialogue.Contracts;
using SecureDialogue.Client.Trust;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    private const int MaxPublishAttempts = 4;

    // Loads the saved state; records are verified again (epoch 0 against the anchor that was accepted then).
    private void LoadState()
    {
        var state = _store.Load();
        if (state is null)
        {
            Alert(new ChannelAlert(ChannelAlertKind.StateRebuilt, "the saved channel state could not be read; it is rebuilt from the server"));
            state = new ChannelStateDocument();
        }

        _state = state;
        _ledger = SenderLedger.Import(state.Senders);
        _verdicts = state.Verdicts.GroupBy(v => v.Sequence).ToDictionary(g => g.Key, g => g.Last());
        foreach (var evidence in state.ForkEvidence)
        {
            var epoch = EpochRecord.Decode(evidence) is { IsSuccess: true } r ? r.Value.Epoch : (uint?)null;
            Alert(new ChannelAlert(ChannelAlertKind.Fork, "the server showed two different signed records for one epoch (evidence kept)") { Epoch = epoch });
        }

        if (state.Epochs.Count == 0)
        {
            return;
        }

        var anchors = DeviceId.TryParse(state.GenesisAnchor, out var anchor) ? [anchor] : Array.Empty<DeviceId>();
        ResetChain(anchors);
        var kept = new List<StoredEpochRecord>();
        foreach (var stored in state.Epochs)
        {
            if (!_chain.Accept(stored.Record).IsSuccess)
            {
                Alert(new ChannelAlert(ChannelAlertKind.StateRebuilt, "a saved epoch record no longer verifies; later records are fetched again") { Epoch = (uint)kept.Count });
                break;
            }

            kept.Add(stored);
        }

        state.Epochs = kept;
        UnlockAll();
    }

    private async Task<ApiError?> RefreshCoreAsync(bool reloadReview, CancellationToken cancellationToken)
    {
        if (reloadReview)
        {
            var review = await _core.Api.GetReviewAsync(ReviewId, cancellationToken).ConfigureAwait(false);
            if (!review.TryGetValue(out var detail, out var error))
            {
                return error;
            }

            _review = detail;
            _me = detail.Members.FirstOrDefault(m => m.AccountId == _me.AccountId) ?? _me with { Role = MemberRole.Observer };
        }

        var trust = await ReviewTrust.LoadAsync(_core, _review, _me.AccountId, cancellationToken).ConfigureAwait(false);
        if (!trust.TryGetValue(out var view, out var trustError))
        {
            return trustError;
        }

        UpdateDirectory(view);
        var fetched = await FetchEpochsAsync(cancellationToken).ConfigureAwait(false);
        if (fetched is not null)
        {
            return fetched;
        }

        await PublishEpochIfNeededAsync(cancellationToken).ConfigureAwait(false);
        _refreshDue = false;
        return null;
    }

    // Fetches every stored record, checks the new ones by inclusion in the archive log, and runs them through the chain:
    // new records are accepted (and their keys unwrapped), known ones must match, validly signed contradictions are kept as fork evidence, and anything
    // else is refused and reported.
    private async Task<ApiError?> FetchEpochsAsync(CancellationToken cancellationToken)
    {
        _epochsDirty = false;
        var fetched = await _core.Api.GetEpochRecordsAsync(ReviewId, Channel, null, cancellationToken).ConfigureAwait(false);
        if (!fetched.TryGetValue(out var entries, out var error))
        {
            return error;
        }

        if (_chain.Records.Count == 0)
        {
            ResetChain(Anchors());
        }
        else if (entries.Count < _chain.Records.Count)
        {
            Alert(new ChannelAlert(ChannelAlertKind.EpochsWithheld,
                $"the server lists {entries.Count} epochs but this client accepted {_chain.Records.Count}") { Epoch = (uint)entries.Count });
        }

        // New records are checked by inclusion in the review's archive log first: a record the log contradicts is never
        // accepted, and a halted log view accepts nothing (docs/protocol.md 16.7). Unverifiable records are accepted with an alert.
        var archive = await CheckEpochArchiveAsync(entries, cancellationToken).ConfigureAwait(false);
        foreach (var entry in archive.Stop ? Enumerable.Empty<EpochRecordEntry>() : entries.OrderBy(e => e.Epoch))
        {
            if (archive.Statuses.TryGetValue(entry.Epoch, out var status) && status == Archive.ArchiveStatus.Failed)
            {
                Alert(new ChannelAlert(ChannelAlertKind.EpochRecordRefused, $"the epoch record offered for epoch {entry.Epoch} is not the one in the archive log") { Epoch = entry.Epoch });
                break;
            }

            var accepted = _chain.Accept(entry.Record ?? []);
            if (accepted.TryGetValue(out var record, out var verdict))
            {
                OnAccepted(record, entry);
                continue;
            }

            switch (verdict)
            {
                case EpochError.Replayed:
                    continue;
                case EpochError.Fork:
                    if (!_state.ForkEvidence.Any(f => f.AsSpan().SequenceEqual(entry.Record)))
                    {
                        _state.ForkEvidence.Add(entry.Record!);
                    }

                    Alert(new ChannelAlert(ChannelAlertKind.Fork, "the server showed two different signed records for one epoch (evidence kept)") { Epoch = entry.Epoch });
                    continue;
                default:
                    Alert(new ChannelAlert(ChannelAlertKind.EpochRecordRefused, $"the epoch record offered for epoch {entry.Epoch} was refused ({verdict})")
                    {
                        Epoch = entry.Epoch,
                        EpochError = verdict,
                    });
                    break;
            }

            // Everything after a refused record is out of order for this chain.
            break;
        }

        if (_chain.Current is null)
        {
            if (!ChannelRules.MayOpen(_review, _me, ChannelId))
            {
                Alert(new ChannelAlert(ChannelAlertKind.NoEpoch, "the channel has no epoch yet; a member of the State that opens it must open the channel first"));
            }
        }
        else if (_chain.Current.FindMember(_core.Device.Id) is null)
        {
            Alert(new ChannelAlert(ChannelAlertKind.NotAMember, "this device is not a member of the current epoch; a managing member must add it") { Epoch = _chain.Current.Epoch });
        }

        SaveState();
        return null;
    }

    private void OnAccepted(EpochRecord record, EpochRecordEntry entry)
    {
        // Items at or below the boundary precede this epoch. The server's figure is used when it gives one;
        // without it the boundary is unknown (every item counts as history) until an opened item of this epoch
        // or a later one shows where the epoch began (TightenBoundaries).
        var boundary = entry.StoredAfterSequence is { } reported ? Math.Max(0, reported) : long.MaxValue;
        _state.Epochs.Add(new StoredEpochRecord(entry.Record!, boundary, entry.StoredAfterSequence is not null));
        if (record.Epoch == 0)
        {
            _state.GenesisAnchor = record.Author.ToString();
        }

        var unlocked = _keyring.Unlock(record);
        if (!unlocked.IsSuccess && unlocked.Error != EpochError.NotAMember)
        {
            Alert(new ChannelAlert(ChannelAlertKind.EpochRecordRefused, $"the key of epoch {record.Epoch} wrapped to this device does not open ({unlocked.Error})")
            {
                Epoch = record.Epoch,
                EpochError = unlocked.Error,
            });
        }
    }

    // Opens epoch 0 (a member of the opening State) or rotates (a managing member of the current epoch) when
    // the trusted member devices differ from the current epoch; a lost race refetches and tries again. Only
    // called right after the review and the directory were fetched (RefreshCoreAsync).
    private async Task PublishEpochIfNeededAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxPublishAttempts; attempt++)
        {
            var desired = DesiredMembers();
            var current = _chain.Current;
            EpochRecord record;
            EpochKey key;
            if (current is null)
            {
                if (_chain.Records.Count != 0 || !ChannelRules.MayOpen(_review, _me, ChannelId))
                {
                    return;
                }

                (record, key) = EpochRecordBuilder.Genesis(_core.Device, ReviewId, ChannelId, desired, _core.Time.GetUtcNow());
            }
            else
            {
                if (current.FindMember(_core.Device.Id) is not { MayManage: true } || !ChannelRules.MayManage(_me) || SameMembers(current, desired))
                {
                    return;
                }

                // History goes only to added devices whose certificate lets them have it (the State decides).
                var added = desired.Where(d => current.FindMember(d.Device.Id) is null && HistoryAllowed(d.Device.Id)).Select(d => d.Device.Id).ToList();
                var first = FirstHeldEpoch(current.Epoch);
                var grants = first is { } f && added.Count > 0 ? added.Select(d => (d, f)).ToList() : null;
                (record, key) = EpochRecordBuilder.Next(_core.Device, current, desired, _core.Time.GetUtcNow(), grants is null ? null : _keyring, grants);
            }

            key.Dispose();
            var error = await _core.Api.AddEpochRecordAsync(ReviewId, Channel, record.Encoded, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                Log.EpochPublished(_logger, record.Epoch, record.Members.Length);
            }
            else if (error.Value.Is(ProblemTypes.EpochConflict))
            {
                Log.EpochConflict(_logger, record.Epoch, attempt);
            }
            else
            {
                Alert(new ChannelAlert(ChannelAlertKind.RotationFailed, $"publishing epoch {record.Epoch} failed: {error.Value}") { Epoch = record.Epoch, Api = error });
                return;
            }

            // The published (or winning) record comes back through the same verification as any other.
            if (await FetchEpochsAsync(cancellationToken).ConfigureAwait(false) is { } fetchError)
            {
                Alert(new ChannelAlert(ChannelAlertKind.RotationFailed, $"fetching epochs failed: {fetchError}") { Api = fetchError });
                return;
            }
        }
    }

    private bool HistoryAllowed(DeviceId device) =>
        _trust?.View.Certified.TryGetValue(device, out var certified) == true && certified.Flags.HasFlag(CertificateFlags.History);

    // The earliest epoch from which this device holds every key up to the current one (history to grant).
    private uint? FirstHeldEpoch(uint current)
    {
        if (_keyring.Find(current) is null)
        {
            return null;
        }

        var first = current;
        while (first > 0 && _keyring.Find(first - 1) is not null)
        {
            first--;
        }

        return first;
    }

    private void ResetChain(IEnumerable<DeviceId> anchors)
    {
        _keyring.Dispose();
        _chain = new EpochChain(ReviewId, ChannelId, anchors);
        _keyring = new ChannelKeyring(_core.Device, _chain);
    }

    // Unlocks every accepted record again (after loading saved records into a fresh chain).
    private void UnlockAll()
    {
        foreach (var record in _chain.Records)
        {
            _ = _keyring.Unlock(record);
        }
    }

    private bool IsHistorical(long sequence) =>
        _chain.Current is { } current && current.Epoch < _state.Epochs.Count && sequence <= _state.Epochs[(int)current.Epoch].StoredAfterSequence;

    // An opened item of epoch E at sequence s proves record E was stored before s.
    private void TightenBoundaries(uint epoch, long sequence)
    {
        for (var e = 0; e <= epoch && e < _state.Epochs.Count; e++)
        {
            if (_state.Epochs[e].StoredAfterSequence >= sequence)
            {
                _state.Epochs[e] = _state.Epochs[e] with { StoredAfterSequence = sequence - 1 };
            }
        }
    }

    private void SaveState()
    {
        _state.Senders = _ledger.Export();
        _state.Verdicts = [.. _verdicts.Values.OrderBy(v => v.Sequence)];
        _store.Save(_state);
    }
}
