using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Mechanism.Policies;

/// <summary>A review's disclosure policy as stored: the latest accepted statement, or the default.</summary>
internal sealed class DisclosurePolicies(MessagingDbContext db, Archive.ArchiveReader archive)
{
    /// <summary>The policy in force: the latest statement's, or per-State metadata and no content.</summary>
    public async Task<DisclosurePolicy> CurrentAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var latest = await db.DisclosurePolicies.Where(p => p.ReviewId == reviewId).OrderByDescending(p => p.Version)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return latest is null ? DisclosurePolicy.Default(reviewId) : ToPolicy(latest);
    }

    /// <summary>
    /// The channels whose content the review's assigned secretariat staff may read under the policy in force (the latest
    /// accepted statement's; none by default). The server lets them fetch those channels' envelopes and epoch records;
    /// whether they can decrypt is the members' decision (their clients add certified secretariat devices).
    /// </summary>
    public static async Task<IReadOnlyList<string>> SecretariatChannelsAsync(MessagingDbContext db, Guid reviewId, CancellationToken cancellationToken)
    {
        var channels = await db.DisclosurePolicies.Where(p => p.ReviewId == reviewId).OrderByDescending(p => p.Version)
            .Select(p => p.ContentChannels).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return channels is null ? [] : channels.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The policy and every statement, for participants.</summary>
    public async Task<PolicyInfo> InfoAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var rows = await db.DisclosurePolicies.Where(p => p.ReviewId == reviewId).OrderBy(p => p.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
        var current = rows.Count == 0 ? DisclosurePolicy.Default(reviewId) : ToPolicy(rows[^1]);

        // Each statement's archive index, so clients verify it by inclusion (docs/protocol.md 16.7).
        var indexes = await archive.IndexesByPayloadAsync(reviewId, Vault.Archive.ArchiveEntryKind.PolicyChange, cancellationToken).ConfigureAwait(false);
        return new PolicyInfo(
            current.Version, MetadataLevelCodes.Code(current.Metadata), current.ContentChannels,
            [.. rows.Select(r => new PolicyStatementEntry((uint)r.Version, r.Statement, r.SignerDevice, r.SignerAccount, r.StoredAt) { ArchiveIndex = Archive.ArchiveReader.IndexOf(indexes, r.Statement) })]);
    }

    private static DisclosurePolicy ToPolicy(DisclosurePolicyEntity row) => new(
        row.ReviewId, (uint)row.Version, row.MetadataLevel,
        row.ContentChannels.Split(',', StringSplitOptions.RemoveEmptyEntries), row.IssuedAt);
}

/// <summary>Codes of <see cref="MetadataLevel"/> in the API and CLI: <c>per-person</c>, <c>per-state</c>, <c>counts-only</c>.</summary>
internal static class MetadataLevelCodes
{
    public static string Code(MetadataLevel level) => level switch
    {
        MetadataLevel.PerPerson => "per-person",
        MetadataLevel.PerState => "per-state",
        MetadataLevel.CountsOnly => "counts-only",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown metadata level."),
    };
}
