using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Amendments;

/// <summary>Every amendment statement of a channel, in log order, for the channel's readers (docs/protocol.md 21.4).</summary>
internal sealed class AmendmentsQuery(MessagingDbContext db, ReviewAccess access)
{
    public async Task<Outcome<IReadOnlyList<AmendmentEntry>>> ExecuteAsync(Caller caller, Guid reviewId, string channel, CancellationToken cancellationToken)
    {
        var membership = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Read, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var rows = await db.Amendments.AsNoTracking()
            .Where(a => a.ReviewId == reviewId && a.Channel == channel)
            .OrderBy(a => a.EntryIdx)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEntry).ToList();
    }

    public static AmendmentEntry ToEntry(AmendmentEntity row) =>
        new(row.Statement, row.Action == 1 ? "correct" : "retract", row.TargetSequence, row.ReplacementSequence, row.AuthorDevice, row.StoredAt)
        {
            ArchiveIndex = row.EntryIdx,
            TargetArchiveIndex = row.TargetEntryIdx,
        };
}
