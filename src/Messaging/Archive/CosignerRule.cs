using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Trust;

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

        return await FocalPointRegistration.IsRegisteredAsync(db, membership.ReviewId, state, membership.AccountId, cancellationToken).ConfigureAwait(false);
    }
}
