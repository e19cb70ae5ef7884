using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// A channel's epoch records after an epoch, in order, for the channel's readers only (they hold wrapped keys, which
/// the secretariat does not see). At most about <see cref="MaxBytes"/> bytes per call (always at least one record):
/// call again with <c>after</c> = the last epoch received until the list is empty.
/// </summary>
internal sealed class EpochRecordsQuery(MessagingDbContext db, ReviewAccess access, Archive.ArchiveReader archive)
{
    /// <summary>Soft byte budget of one response.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    public async Task<Outcome<IReadOnlyList<EpochRecordEntry>>> ExecuteAsync(Caller caller, Guid reviewId, string channel, long? after, CancellationToken cancellationToken)
    {
        var membership = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Read, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var from = after ?? -1;
        if (from < -1)
        {
            return ApiErrors.BadRequest("'after' is an epoch number (0 or more); leave it out for every record.");
        }

        var sizes = await db.EpochRecords
            .Where(r => r.ReviewId == reviewId && r.Channel == channel && r.Epoch > from)
            .OrderBy(r => r.Epoch)
            .Select(r => new { r.Epoch, Length = (long)r.Record.Length })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var count = 0;
        long bytes = 0;
        while (count < sizes.Count && (count == 0 || bytes + sizes[count].Length <= MaxBytes))
        {
            bytes += sizes[count].Length;
            count++;
        }

        if (count == 0)
        {
            return Array.Empty<EpochRecordEntry>();
        }

        var last = sizes[count - 1].Epoch;
        var rows = await db.EpochRecords
            .Where(r => r.ReviewId == reviewId && r.Channel == channel && r.Epoch > from && r.Epoch <= last)
            .OrderBy(r => r.Epoch)
            .Select(r => new { r.Epoch, r.Record, r.StoredAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var indexes = await archive.IndexesOfAsync(reviewId, Vault.Archive.ArchiveEntryKind.EpochRecord, channel, from + 1, last, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new EpochRecordEntry((uint)r.Epoch, r.Record, r.StoredAt) { ArchiveIndex = indexes.TryGetValue(r.Epoch, out var i) ? i.Index : null }).ToList();
    }
}
