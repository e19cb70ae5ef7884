using SecureDialogue.Client.Archive;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    // Only a State's focal point device cosigns checkpoints (docs/protocol.md 16.5): this account is its State's focal
    // point and this device is certified as such (its trust root, or a second device the root certified as focal point).
    private bool MayCosign =>
        _me.Role == MemberRole.FocalPoint && _trust?.CertifiedFor(_me, _core.Device.Id) is { Role: CertifiedRole.FocalPoint };

    // Checks a page of envelopes against the archive log; raises the archive alerts; Stop when the log contradicted itself.
    private async Task<(Dictionary<long, ArchiveStatus> Statuses, bool Stop)> CheckArchiveAsync(List<StoredEnvelope> page, CancellationToken cancellationToken)
    {
        if (!_core.Options.VerifyArchive || page.Count == 0)
        {
            return ([], false);
        }

        var archive = _core.Archive(ReviewId);
        return Report(archive, await archive.VerifyEnvelopesAsync(page, Channel, MayCosign, cancellationToken).ConfigureAwait(false), "items");
    }

    // Checks epoch records this chain has not accepted yet against the archive log, as envelopes are checked (statuses by epoch).
    private async Task<(Dictionary<long, ArchiveStatus> Statuses, bool Stop)> CheckEpochArchiveAsync(IReadOnlyList<EpochRecordEntry> entries, CancellationToken cancellationToken)
    {
        var unseen = entries.Where(e => e.Epoch >= _chain.Records.Count).ToList();
        if (!_core.Options.VerifyArchive || unseen.Count == 0)
        {
            return ([], false);
        }

        var archive = _core.Archive(ReviewId);
        var checkedRecords = Report(archive, await archive.VerifyEpochRecordsAsync(unseen, Channel, MayCosign, cancellationToken).ConfigureAwait(false), "epoch records");

        // Only records stored before the archive existed lack an index; once this client holds a checkpoint of the
        // review's log, a record served without one is flagged (it is accepted on its signatures alone).
        if (!checkedRecords.Stop && unseen.FirstOrDefault(e => e.ArchiveIndex is null) is { } bare && archive.GetState().TreeSize is not null)
        {
            Alert(new ChannelAlert(ChannelAlertKind.ArchiveUnverified,
                $"the record of epoch {bare.Epoch} came without its archive index: it could not be checked against the archive log") { Epoch = bare.Epoch });
        }

        return checkedRecords;
    }

    private (Dictionary<long, ArchiveStatus> Statuses, bool Stop) Report(ReviewArchive archive, ArchiveCheck check, string what)
    {
        var state = archive.GetState();
        if (state.IsHalted)
        {
            Alert(new ChannelAlert(ChannelAlertKind.ArchiveMismatch,
                $"the review's archive log contradicted itself ({state.Evidence!.Kind}); reading stopped; evidence kept in {state.EvidencePath}")
            {
                Archive = check.Problem,
            });
            return (check.Statuses, true);
        }

        if (check.Problem is { } problem)
        {
            Alert(new ChannelAlert(ChannelAlertKind.ArchiveUnverified, $"{what} could not be verified against the archive log ({problem})") { Archive = problem });
        }

        if (state.IsStale && state.TreeSize is not null)
        {
            Alert(new ChannelAlert(ChannelAlertKind.ArchiveStale, $"the archive log's last checkpoint was signed at {state.SignedAt:u}: the log may be frozen"));
        }

        return (check.Statuses, false);
    }
}
