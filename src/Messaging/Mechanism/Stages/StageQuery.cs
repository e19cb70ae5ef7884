using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Mechanism.Overview;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Mechanism.Stages;

/// <summary>A review's stage, schedule and stage history.</summary>
internal sealed class StageQuery(MessagingDbContext db, ReviewOverviewQuery overview)
{
    public async Task<StageInfo> InfoAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var review = await overview.FindAsync(reviewId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The caller checked the review exists.");
        var entered = await db.Reviews.Where(r => r.Id == reviewId).Select(r => r.StageEnteredOn).SingleAsync(cancellationToken).ConfigureAwait(false);
        var history = await db.ReviewStageEvents.Where(e => e.ReviewId == reviewId)
            .Join(db.Accounts, e => e.AccountId, a => a.Id, (e, a) => new { e.Sequence, e.FromStage, e.ToStage, e.AccountId, a.DisplayName, e.OccurredAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var schedule = review.Schedule;
        return new StageInfo(
            ReviewStages.Code(schedule.Stage), review.StartDate, entered, schedule.DaysInStage, schedule.Deadline, schedule.Overdue,
            [.. history.OrderBy(h => h.Sequence).Select(h => new StageChange(h.Sequence, ReviewStages.Code(h.FromStage), ReviewStages.Code(h.ToStage), h.AccountId, h.DisplayName, h.OccurredAt))]);
    }
}
