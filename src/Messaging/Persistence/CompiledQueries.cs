using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// The queries every envelope runs, compiled once (no expression tree to walk and look up per call). One instance per
/// server (a singleton): a compiled query belongs to the model of the database engine it first ran on, and tests run
/// servers on SQLite and PostgreSQL in one process.
/// </summary>
internal sealed class CompiledQueries
{
    /// <summary>A member row with the role of its State in the review (one round trip), or null.</summary>
    public Func<MessagingDbContext, Guid, Guid, CancellationToken, Task<MemberRow?>> Member { get; } =
        EF.CompileAsyncQuery((MessagingDbContext db, Guid reviewId, Guid accountId, CancellationToken cancellationToken) =>
            db.ReviewMembers
                .Where(m => m.ReviewId == reviewId && m.AccountId == accountId)
                .Select(m => new MemberRow(
                    m.Role,
                    m.StateCode,
                    db.ReviewStates.Where(s => s.ReviewId == m.ReviewId && s.StateCode == m.StateCode).Select(s => (StateRole?)s.Role).FirstOrDefault()))
                .SingleOrDefault());

    /// <summary>A registered device's owner, card and revocation, or null.</summary>
    public Func<MessagingDbContext, string, CancellationToken, Task<DeviceRow?>> Device { get; } =
        EF.CompileAsyncQuery((MessagingDbContext db, string deviceId, CancellationToken cancellationToken) =>
            db.Devices.Where(d => d.DeviceId == deviceId).Select(d => new DeviceRow(d.AccountId, d.Card, d.RevokedAt)).SingleOrDefault());
}

/// <summary>A member row with the role of its State in the review (null without a State).</summary>
internal sealed record MemberRow(MemberRole Role, string? StateCode, StateRole? StateRole);

/// <summary>A device's owner, card and revocation time.</summary>
internal sealed record DeviceRow(Guid AccountId, byte[] Card, DateTimeOffset? RevokedAt);
