using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Mechanism.Overview;

/// <summary>Reviews with their stage, schedule and missing focal points (no access checks: callers decide who asks).</summary>
internal sealed class ReviewOverviewQuery(MessagingDbContext db, TimeProvider time)
{
    /// <summary>Today in UTC, the day every schedule is computed for.</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Every review (or only <paramref name="reviewIds"/>), ordered by group, then State under review.</summary>
    public async Task<IReadOnlyList<ReviewOverview>> ListAsync(IReadOnlyCollection<Guid>? reviewIds, CancellationToken cancellationToken)
    {
        var reviewsQuery = db.Reviews.AsQueryable();
        var statesQuery = db.ReviewStates.AsQueryable();
        var focalQuery = db.ReviewMembers.Where(m => m.Role == MemberRole.FocalPoint);
        if (reviewIds is not null)
        {
            var ids = reviewIds.ToArray();
            reviewsQuery = reviewsQuery.Where(r => ids.Contains(r.Id));
            statesQuery = statesQuery.Where(s => ids.Contains(s.ReviewId));
            focalQuery = focalQuery.Where(m => ids.Contains(m.ReviewId));
        }

        var reviews = await reviewsQuery.ToListAsync(cancellationToken).ConfigureAwait(false);
        var states = (await statesQuery.ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(s => s.ReviewId);
        var focal = (await focalQuery.Select(m => new { m.ReviewId, m.StateCode }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(m => m.ReviewId, m => m.StateCode);
        var today = Today;
        return
        [
            .. reviews
                .Select(r => Build(r, [.. states[r.Id]], [.. focal[r.Id].OfType<string>()], today))
                .OrderBy(o => o.Group ?? int.MaxValue).ThenBy(o => o.StateUnderReview, StringComparer.Ordinal).ThenBy(o => o.ReviewId),
        ];
    }

    /// <summary>One review, or null.</summary>
    public async Task<ReviewOverview?> FindAsync(Guid reviewId, CancellationToken cancellationToken) =>
        (await ListAsync([reviewId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    private static ReviewOverview Build(ReviewEntity review, List<ReviewStateEntity> states, List<string> focalPoints, DateOnly today)
    {
        var underReview = states.FirstOrDefault(s => s.Role == StateRole.UnderReview)?.StateCode ?? string.Empty;
        var reviewing = states.Where(s => s.Role == StateRole.Reviewing)
            .OrderBy(s => s.StateCode, StringComparer.Ordinal)
            .Select(s => new ReviewingStateOverview(s.StateCode, s.Instruments))
            .ToList();
        var start = review.StartDate ?? DateOnly.FromDateTime(review.CreatedAt.UtcDateTime);
        var entered = review.StageEnteredOn ?? start;
        var missing = states.Select(s => s.StateCode)
            .Where(code => !focalPoints.Contains(code, StringComparer.Ordinal))
            .OrderBy(code => code == underReview ? 0 : 1).ThenBy(code => code, StringComparer.Ordinal)
            .ToList();
        var clusters = review.Clusters.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => ThematicClusters.TryParse(c, out var cluster) ? cluster : 0)
            .Where(c => c != 0)
            .ToList();
        return new ReviewOverview(
            review.Id, review.Title, underReview, reviewing, review.ReviewGroup, review.Phase, clusters,
            review.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries), review.StartDate,
            ReviewTimeFrames.Schedule(review.Stage, start, entered, today), missing);
    }
}
