using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// The member devices listed in a stored epoch record. A stored record never changes (one per review, channel and
/// epoch), so entries never go stale, even with several servers on one database. Bounded.
/// </summary>
internal sealed class EpochMembersCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<(Guid Review, string Channel, long Epoch), FrozenSet<string>> _entries = new();

    /// <summary>The device ids (hex) listed in the epoch, or null when no such record is stored.</summary>
    public async Task<FrozenSet<string>?> GetAsync(MessagingDbContext db, Guid reviewId, string channel, long epoch, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue((reviewId, channel, epoch), out var cached))
        {
            return cached;
        }

        var bytes = await db.EpochRecords
            .Where(r => r.ReviewId == reviewId && r.Channel == channel && r.Epoch == epoch)
            .Select(r => r.Record)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        // Stored records were decoded and checked when they were added.
        var record = EpochRecord.Decode(bytes);
        if (!record.TryGetValue(out var decoded, out _))
        {
            return null;
        }

        var members = decoded.Members.Select(m => m.Device.Id.ToString()).ToFrozenSet(StringComparer.Ordinal);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(reviewId, channel, epoch)] = members;
        return members;
    }
}
