using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Trust;

/// <summary>Whether an account speaks for its State as the review's focal point (docs/protocol.md 20.5, 16.5).</summary>
internal static class FocalPointRegistration
{
    /// <summary>
    /// True when the State's current nomination names <paramref name="accountId"/>; a focal point listed when the review
    /// was created, before any nomination was registered for the State, counts as nominated.
    /// </summary>
    public static async Task<bool> IsRegisteredAsync(MessagingDbContext db, Guid reviewId, string state, Guid accountId, CancellationToken cancellationToken)
    {
        var nominated = await db.FocalPoints
            .Where(f => f.ReviewId == reviewId && f.StateCode == state && f.EndedAt == null)
            .Select(f => f.AccountId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return nominated.Count == 0 || nominated.Contains(accountId);
    }
}
