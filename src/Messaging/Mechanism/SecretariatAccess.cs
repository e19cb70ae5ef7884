using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Mechanism;

/// <summary>
/// Who may act as the secretariat: staff (the role claim) for the mechanism as a whole (dashboard, status report,
/// imports), and staff assigned to a review (a <see cref="MemberRole.Secretariat"/> member) for that review's stage and
/// activity.
/// </summary>
internal sealed class SecretariatAccess(MessagingDbContext db)
{
    /// <summary>Null when the caller is secretariat staff, else the error.</summary>
    public static ApiError? Staff(Caller caller) =>
        caller.IsSecretariat ? null : ApiErrors.Forbidden("Only secretariat staff may do this.");

    /// <summary>Null when the caller is staff assigned to the review, else the error (404 for an unknown review).</summary>
    public async Task<ApiError?> AssignedAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        if (!await db.Reviews.AnyAsync(r => r.Id == reviewId, cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.NotFound("There is no such review.");
        }

        var assigned = caller.IsSecretariat && await db.ReviewMembers
            .AnyAsync(m => m.ReviewId == reviewId && m.AccountId == caller.AccountId && m.Role == MemberRole.Secretariat, cancellationToken).ConfigureAwait(false);
        return assigned ? null : ApiErrors.Forbidden("Only secretariat staff assigned to this review may do this.");
    }

    /// <summary>The reviews the caller is assigned to as secretariat staff.</summary>
    public async Task<IReadOnlyList<Guid>> AssignedReviewsAsync(Caller caller, CancellationToken cancellationToken) =>
        caller.IsSecretariat
            ? await db.ReviewMembers.Where(m => m.AccountId == caller.AccountId && m.Role == MemberRole.Secretariat)
                .Select(m => m.ReviewId).ToListAsync(cancellationToken).ConfigureAwait(false)
            : [];
}
