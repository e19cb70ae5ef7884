using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Trust;

/// <summary>
/// A review's members (secretariat staff included) with their registered devices, the focal point nominations and every
/// trust statement in storage order. Any member may ask; the secretariat gets device cards only while the disclosure
/// policy names a channel it may read (it must verify that channel's epoch records), otherwise only people,
/// nominations and the signed statements, which name devices by id.
/// </summary>
internal sealed class ReviewMembersQuery(MessagingDbContext db, ReviewAccess access, Archive.ArchiveReader archive)
{
    public async Task<Outcome<ReviewMembersResponse>> ExecuteAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        var members = await db.ReviewMembers
            .Where(m => m.ReviewId == reviewId)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.AccountId, a.DisplayName, m.StateCode, m.Role })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Secretariat staff's devices are listed too: the focal point of the State under review certifies them for the
        // channels the disclosure policy names, and the members' clients then add them (docs/protocol.md 20.5).
        var ids = members.Select(m => m.AccountId).ToArray();
        var devices = member.Role == MemberRole.Secretariat && member.ReadableChannels.Count == 0
            ? []
            : await db.Devices.Where(d => ids.Contains(d.AccountId) && d.RevokedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
        var nominations = await db.FocalPoints
            .Where(f => f.ReviewId == reviewId)
            .Join(db.Accounts, f => f.AccountId, a => a.Id, (f, a) => new { Nomination = f, a.DisplayName })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var statements = await db.TrustStatements.Where(t => t.ReviewId == reviewId).ToListAsync(cancellationToken).ConfigureAwait(false);

        // Each statement's archive index, so clients verify it by inclusion (docs/protocol.md 16.7).
        var indexes = await archive.IndexesByPayloadAsync(reviewId, Vault.Archive.ArchiveEntryKind.MembershipChange, cancellationToken).ConfigureAwait(false);

        var list = members
            .OrderBy(m => m.Role == MemberRole.Secretariat).ThenBy(m => m.StateCode, StringComparer.Ordinal).ThenBy(m => m.DisplayName, StringComparer.Ordinal)
            .Select(m => new MemberDevices(m.AccountId, m.DisplayName, m.StateCode, m.Role,
            [
                .. devices.Where(d => d.AccountId == m.AccountId).OrderBy(d => d.DeviceId, StringComparer.Ordinal)
                    .Select(d => new DeviceEntry(d.DeviceId, d.AccountId, m.DisplayName, m.StateCode ?? string.Empty, d.Card, d.RegisteredAt)),
            ]))
            .ToList();
        return new ReviewMembersResponse(
            list,
            [.. nominations.OrderBy(n => n.Nomination.StateCode, StringComparer.Ordinal).ThenBy(n => n.Nomination.RegisteredAt)
                .Select(n => SetFocalPointCommand.Entry(n.Nomination, n.DisplayName))],
            [.. statements.OrderBy(t => t.Position).Select(t => SubmitTrustStatementCommand.ToEntry(t) with { ArchiveIndex = Archive.ArchiveReader.IndexOf(indexes, t.Statement) })]);
    }
}
