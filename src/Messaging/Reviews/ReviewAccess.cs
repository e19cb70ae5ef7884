using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>The membership checks every review, channel and hub operation starts with.</summary>
internal sealed class ReviewAccess(MessagingDbContext db, CompiledQueries queries)
{
    /// <summary>The caller's membership; NotFound for an unknown review, Forbidden for a non-member.</summary>
    public async Task<Outcome<Membership>> ForReviewAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var member = await queries.Member(db, reviewId, caller.AccountId, cancellationToken).ConfigureAwait(false);
        if (member is null)
        {
            var exists = await db.Reviews.AnyAsync(r => r.Id == reviewId, cancellationToken).ConfigureAwait(false);
            return exists ? ApiErrors.Forbidden("The caller is not a member of this review.") : ApiErrors.NotFound("There is no such review.");
        }

        var membership = new Membership(reviewId, caller.AccountId, member.Role, member.StateCode, member.StateCode is null ? null : member.StateRole);
        return member.Role == MemberRole.Secretariat
            ? membership with { SecretariatChannels = await DisclosurePolicies.SecretariatChannelsAsync(db, reviewId, cancellationToken).ConfigureAwait(false) }
            : membership;
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
            return ApiErrors.Forbidden(membership.Role == MemberRole.Secretariat
                ? "Secretariat staff see a review's metadata, not the content of a channel the disclosure policy does not name."
                : "The caller does not read this channel.");
        }

        if (access == ChannelAccess.Post && !membership.MayPost(channel))
        {
            return ApiErrors.Forbidden(membership.Role == MemberRole.Secretariat
                ? "Secretariat staff read the channels the disclosure policy names; they do not post."
                : "Observers read; they do not post.");
        }

        return membership;
    }
}
