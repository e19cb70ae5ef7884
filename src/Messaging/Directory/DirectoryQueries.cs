using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Directory;

/// <summary>The key directory: the caller's own account and devices, and the devices of a review's members.</summary>
internal sealed class DirectoryQueries(MessagingDbContext db, ReviewAccess access)
{
    /// <summary>The signed-in account with its devices (revoked ones left out).</summary>
    public async Task<MeResponse> MeAsync(Caller caller, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == caller.AccountId, cancellationToken).ConfigureAwait(false);
        var devices = await db.Devices
            .Where(d => d.AccountId == caller.AccountId && d.RevokedAt == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new MeResponse(
            account.Id, account.Issuer, account.Subject, account.DisplayName, caller.IsSecretariat,
            [.. devices.OrderBy(d => d.DeviceId, StringComparer.Ordinal).Select(d => new DeviceEntry(d.DeviceId, d.AccountId, account.DisplayName, string.Empty, d.Card, d.RegisteredAt))]);
    }

    /// <summary>
    /// The registered, non-revoked devices of the review's members who read a channel (not the secretariat), for members
    /// who read a channel themselves. Clients decide whom to trust (trust on first use, later focal-point certification).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<DeviceEntry>>> ReviewDevicesAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (member.ReadableChannels.Count == 0)
        {
            return ApiErrors.Forbidden("Secretariat staff see a review's participants, not their device keys.");
        }

        var rows = await db.ReviewMembers
            .Where(m => m.ReviewId == reviewId && m.Role != MemberRole.Secretariat)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.AccountId, a.DisplayName, m.StateCode })
            .Join(db.Devices.Where(d => d.RevokedAt == null), m => m.AccountId, d => d.AccountId,
                (m, d) => new { d.DeviceId, m.AccountId, m.DisplayName, m.StateCode, d.Card, d.RegisteredAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows
            .OrderBy(r => r.StateCode, StringComparer.Ordinal).ThenBy(r => r.DisplayName, StringComparer.Ordinal).ThenBy(r => r.DeviceId, StringComparer.Ordinal)
            .Select(r => new DeviceEntry(r.DeviceId, r.AccountId, r.DisplayName, r.StateCode ?? string.Empty, r.Card, r.RegisteredAt))
            .ToList();
    }
}
