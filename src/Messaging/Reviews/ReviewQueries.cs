using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>Reviews as their members (and the secretariat assigned to them) see them: metadata only.</summary>
internal sealed class ReviewQueries(MessagingDbContext db, ReviewAccess access, Mechanism.Overview.ReviewOverviewQuery overview)
{
    /// <summary>The reviews the caller is a member of, newest first.</summary>
    public async Task<IReadOnlyList<ReviewSummary>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var reviews = await db.ReviewMembers
            .Where(m => m.AccountId == caller.AccountId)
            .Join(db.Reviews, m => m.ReviewId, r => r.Id, (m, r) => r)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = reviews.Select(r => r.Id).ToArray();
        var states = await db.ReviewStates.Where(s => ids.Contains(s.ReviewId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var mechanism = (await overview.ListAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.ReviewId);
        return
        [
            .. reviews
                .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
                .Select(r =>
                {
                    var own = states.Where(s => s.ReviewId == r.Id).ToList();
                    var summary = new ReviewSummary(r.Id, r.Title, Reviewed(own), Reviewing(own), r.CreatedAt);
                    return mechanism.TryGetValue(r.Id, out var o) ? o.Decorate(summary) : summary;
                }),
        ];
    }

    /// <summary>A review's detail for one of its members.</summary>
    public async Task<Outcome<ReviewDetail>> DetailForAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var detail = await DetailAsync(reviewId, cancellationToken).ConfigureAwait(false);
        return detail is null ? ApiErrors.NotFound("There is no such review.") : detail;
    }

    /// <summary>A review's detail, without access checks.</summary>
    public async Task<ReviewDetail?> DetailAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var review = await db.Reviews.SingleOrDefaultAsync(r => r.Id == reviewId, cancellationToken).ConfigureAwait(false);
        if (review is null)
        {
            return null;
        }

        var states = await db.ReviewStates.Where(s => s.ReviewId == reviewId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var members = await db.ReviewMembers
            .Where(m => m.ReviewId == reviewId)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.AccountId, a.DisplayName, m.StateCode, m.Role })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var channels = await db.Channels.Where(c => c.ReviewId == reviewId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var secretariatChannels = await DisclosurePolicies.SecretariatChannelsAsync(db, reviewId, cancellationToken).ConfigureAwait(false);

        var stateRoles = states.ToDictionary(s => s.StateCode, s => s.Role, StringComparer.Ordinal);
        StateRole? RoleOf(string? state) => state is not null && stateRoles.TryGetValue(state, out var role) ? role : null;
        var memberList = members
            .OrderBy(m => m.Role == MemberRole.Secretariat).ThenBy(m => m.StateCode, StringComparer.Ordinal).ThenBy(m => m.DisplayName, StringComparer.Ordinal)
            .Select(m => new ReviewMember(m.AccountId, m.DisplayName, m.StateCode, m.Role))
            .ToList();
        var channelList = ChannelRules.All
            .Select(name =>
            {
                var row = channels.FirstOrDefault(c => c.Name == name);
                var readers = memberList.Where(m => ChannelRules.Reads(name, m.Role, RoleOf(m.StateCode), secretariatChannels)).Select(m => m.AccountId).ToList();
                return new ChannelInfo(name, readers, row?.CurrentEpoch is { } epoch ? (uint)epoch : null, row?.LastSequence ?? 0);
            })
            .ToList();
        return new ReviewDetail(
            review.Id, review.Title, Reviewed(states), Reviewing(states),
            review.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries), memberList, channelList, review.CreatedAt);
    }

    private static string Reviewed(IEnumerable<ReviewStateEntity> states) =>
        states.FirstOrDefault(s => s.Role == StateRole.UnderReview)?.StateCode ?? string.Empty;

    private static List<string> Reviewing(IEnumerable<ReviewStateEntity> states) =>
        [.. states.Where(s => s.Role == StateRole.Reviewing).Select(s => s.StateCode).Order(StringComparer.Ordinal)];
}
