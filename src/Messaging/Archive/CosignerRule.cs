using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Who may cosign a review's checkpoints (docs/protocol.md 16.5, docs/server.md "Cosignatures"): a State's focal point
/// in the review, that is a member with the focal point role whose State's current registration (the secretariat's
/// nomination, <c>focal_points</c>) names them. A focal point listed when the review was created, before any
/// registration for its State, counts as registered, as it does for trust statements. Experts, observers and the
/// secretariat do not cosign: a cosignature speaks for a State.
/// </summary>
internal static class CosignerRule
{
    /// <summary>True when <paramref name="membership"/> may submit cosignatures.</summary>
    public static async Task<bool> MayCosignAsync(MessagingDbContext db, Membership membership, CancellationToken cancellationToken)
    {
        if (membership is not { Role: MemberRole.FocalPoint, StateCode: { } state })
        {
            return false;
        }

        var nominated = await db.FocalPoints
            .Where(f => f.ReviewId == membership.ReviewId && f.StateCode == state && f.EndedAt == null)
            .Select(f => f.AccountId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return nominated.Count == 0 || nominated.Contains(membership.AccountId);
    }
}
