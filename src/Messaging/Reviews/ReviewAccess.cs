using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>The membership checks every review, channel and hub operation starts with.</summary>
internal sealed class ReviewAccess(MessagingDbContext db)
{
    // Every hub send and API call starts here: one compiled query (member row and its State's role together).
    private static readonly Func<MessagingDbContext, Guid, Guid, CancellationToken, Task<MemberRow?>> s_member =
        EF.CompileAsyncQuery((MessagingDbContext context, Guid reviewId, Guid accountId, CancellationToken cancellationToken) =>
            context.ReviewMembers
                .Where(m => m.ReviewId == reviewId && m.AccountId == accountId)
                .Select(m => new MemberRow(
                    m.Role,
                    m.StateCode,
                    context.ReviewStates.Where(s => s.ReviewId == m.ReviewId && s.StateCode == m.StateCode).Select(s => (Contracts.StateRole?)s.Role).FirstOrDefault()))
                .SingleOrDefault());

    /// <summary>The caller's membership; NotFound for an unknown review, Forbidden for a non-member.</summary>
    public async Task<Outcome<Membership>> ForReviewAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var member = await s_member(db, reviewId, caller.AccountId, cancellationToken).ConfigureAwait(false);
        if (member is null)
        {
            var exists = await db.Reviews.AnyAsync(r => r.Id == reviewId, cancellationToken).ConfigureAwait(false);
            return exists ? ApiErrors.Forbidden("The caller is not a member of this review.") : ApiErrors.NotFound("There is no such review.");
        }

        return new Membership(reviewId, caller.AccountId, member.Role, member.StateCode, member.StateCode is null ? null : member.StateRole);
    }

    /// <summary>The caller's membership when it may read (or post in) the channel.</summary>
    public async Task<Outcome<Membership>> ForChannelAsync(Caller caller, Guid reviewId, string channel, ChannelAccess access, CancellationToken cancellationToken)
    {
        var outcome = await ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var membership, out var error))
        {
            return error;
        }

        if (!ChannelRules.Exists(channel))
        {
            return ApiErrors.NotFound("This review has no such channel (dialogue, reviewers).");
        }

        if (!membership.Reads(channel))
        {
            return ApiErrors.Forbidden(membership.Role == Contracts.MemberRole.Secretariat
                ? "Secretariat staff see a review's metadata, not its channels' content."
                : "The caller does not read this channel.");
        }

        if (access == ChannelAccess.Post && !membership.MayPost(channel))
        {
            return ApiErrors.Forbidden("Observers read; they do not post.");
        }

        return membership;
    }
}

/// <summary>A member row with the role of its State in the review (null without a State).</summary>
internal sealed record MemberRow(Contracts.MemberRole Role, string? StateCode, Contracts.StateRole? StateRole);
