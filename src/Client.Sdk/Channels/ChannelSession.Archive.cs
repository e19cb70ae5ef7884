using SecureDialogue.Client.Api;
using SecureDialogue.Client.Archive;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    // Only a State's focal point device cosigns checkpoints (docs/protocol.md 16.5): this account is its State's focal
    // point and this device is certified as such (its trust root, or a second device the root certified as focal point).
    private bool MayCosign =>
        _me.Role == MemberRole.FocalPoint && _trust?.CertifiedFor(_me, _core.Device.Id) is { Role: CertifiedRole.FocalPoint };

    // Checks a page of envelopes against the archive log as soon as it arrives (VerifyPageAsync, started before the page
    // before it is opened: the proofs are fetched and verified meanwhile); CheckArchiveAsync then raises the archive
    // alerts, on the reading path, before any item of the page is processed; Stop when the log contradicted itself.
    private async Task<(Dictionary<long, ArchiveStatus> Statuses, bool Stop)> CheckArchiveAsync(Task<ArchiveCheck?> pageCheck, CancellationToken cancellationToken)
    {
        if (await pageCheck.ConfigureAwait(false) is not { } check)
        {
            return ([], false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Report(_core.Archive(ReviewId), check, "items");
    }

    private async Task<ArchiveCheck?> VerifyPageAsync(Task<Result<EnvelopePage, ApiError>> fetch, CancellationToken cancellationToken)
    {
        if (!_core.Options.VerifyArchive)
        {
            return null;
        }

        var mayCosign = MayCosign;
        var page = await fetch.ConfigureAwait(false);
        if (!page.TryGetValue(out var envelopes, out _) || envelopes.Items.Count == 0)
        {
            return null;
        }

        return await _core.Archive(ReviewId).VerifyEnvelopesAsync([.. envelopes.Items.OrderBy(i => i.Sequence)], Channel, mayCosign, cancellationToken).ConfigureAwait(false);
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
