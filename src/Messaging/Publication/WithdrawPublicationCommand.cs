using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Publication;

/// <summary>
/// Marks a publication withdrawn (docs/server.md "Publications"): the focal point of the State under review only. The
/// record stays (the archive keeps everything); a withdrawal row and a <c>Retraction</c> entry naming the publication's
/// entry commit together, and the portal then says the publication was withdrawn. Withdrawing again returns the same.
/// </summary>
internal sealed partial class WithdrawPublicationCommand(
    MessagingDbContext db, ReviewAccess access, ArchiveWriter writer, PublicationQueries queries, TimeProvider time, ILogger<WithdrawPublicationCommand> logger)
{
    public async Task<Outcome<Contracts.PublicationEntry>> ExecuteAsync(Caller caller, Guid reviewId, string publicationId, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (!PublicationRules.MayPublish(member))
        {
            return ApiErrors.Forbidden("Only the focal point of the State under review withdraws its review's publications.");
        }

        var row = await db.Publications.AsNoTracking().Where(p => p.Id == publicationId && p.ReviewId == reviewId)
            .Select(p => new { p.Id, p.EntryIdx }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return ApiErrors.NotFound("This review has no such publication.");
        }

        if (!await db.PublicationWithdrawals.AnyAsync(w => w.PublicationId == row.Id, cancellationToken).ConfigureAwait(false))
        {
            var now = time.GetUtcNow();
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var index = await writer.AppendAsync(db, reviewId, [PublicationArchive.Withdrawal(row.Id, caller.AccountId, row.EntryIdx, now)], cancellationToken).ConfigureAwait(false);
                db.PublicationWithdrawals.Add(new PublicationWithdrawalEntity { PublicationId = row.Id, WithdrawnBy = caller.AccountId, WithdrawnAt = now, EntryIdx = index });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    Log.Withdrawn(logger, reviewId, row.Id, index);
                }
                catch (DbUpdateException)
                {
                    // Withdrawn concurrently: the first withdrawal stands.
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            db.ChangeTracker.Clear();
        }

        return (await queries.EntryAsync(row.Id, cancellationToken).ConfigureAwait(false))!;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Review {ReviewId}: publication {PublicationId} withdrawn, archived at index {Index}")]
        public static partial void Withdrawn(ILogger logger, Guid reviewId, string publicationId, long index);
    }
}
