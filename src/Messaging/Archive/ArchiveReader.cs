using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Archive;

/// <summary>One entry of a log as stored, rebuilt into its canonical encoding.</summary>
/// <param name="Index">Its index.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Channel">The channel of an envelope or epoch record (who may see it); null for review-wide entries.</param>
/// <param name="Encoded">The entry's canonical encoding (docs/protocol.md 16.2), whose leaf hash is <paramref name="LeafHash"/>.</param>
/// <param name="LeafHash">The stored leaf hash (checked against <paramref name="Encoded"/> when read).</param>
/// <param name="Payload">The payload bytes: inline payloads, also for envelopes and epoch records; empty in digest form.</param>
/// <param name="Envelope">
/// For an <c>Envelope</c> entry whose payload is the envelope's summary (docs/protocol.md 16.2.1): the envelope kept
/// beside the log, which the summary describes; null otherwise.
/// </param>
internal sealed record StoredArchiveEntry(long Index, ArchiveEntryKind Kind, string? Channel, byte[] Encoded, byte[] LeafHash, ReadOnlyMemory<byte> Payload,
    byte[]? Envelope = null);

/// <summary>Where an item of a channel is in its review's log, and (for an envelope) whether its entry is the summary.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="Form">The payload's form for an envelope: the whole envelope or its summary (16.2.1).</param>
internal readonly record struct ArchivedAt(long Index, EnvelopeEntryForm Form);

/// <summary>A device of a review's member, with its self-signed card (for bundles and cosignature checks).</summary>
internal sealed record ArchiveDevice(string DeviceId, Guid AccountId, string? StateCode, byte[] Card, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt);

/// <summary>A stored epoch record of a channel.</summary>
internal sealed record ArchiveEpochRecord(string Channel, long Epoch, byte[] Record, DateTimeOffset StoredAt);

/// <summary>A cosignature received: which device cosigned which tree size when, and the entry that archived it.</summary>
internal sealed record ArchiveCosignature(long TreeSize, string DeviceId, DateTimeOffset CosignedAt, long EntryIndex);

/// <summary>
/// Reads a review's archive (docs/server.md "Archive"): entries with their payload bytes in index order, roots and
/// proofs in O(log n) node reads, every signed checkpoint, cosignatures, member device cards and epoch records. The
/// API endpoints use it, and it is what a bundle sealer needs: enumerate <see cref="ReadEntriesAsync"/> page by page,
/// then <see cref="CheckpointsAsync"/>, <see cref="CosignaturesAsync"/>, <see cref="DevicesAsync"/> and
/// <see cref="EpochRecordsAsync"/>. No access checks here: callers check <c>ReviewAccess</c> first. Scoped (one
/// <see cref="MessagingDbContext"/>).
/// </summary>
internal sealed class ArchiveReader(MessagingDbContext db)
{
    /// <summary>The number of entries committed.</summary>
    public Task<long> SizeAsync(Guid review, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection => await new DbMerkleNodeStore(connection, null, review).GetLeafCountAsync(cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>The RFC 9162 root of the first <paramref name="size"/> entries (<paramref name="size"/> at most the log's size).</summary>
    public Task<byte[]> RootAsync(Guid review, long size, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection => await new MerkleLog(new DbMerkleNodeStore(connection, null, review)).GetRootAsync(size, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// Inclusion proofs of <paramref name="indexes"/> in the tree of <paramref name="treeSize"/> entries, with each leaf
    /// hash: the nodes of all of them in one read (<see cref="MerkleLog.GetInclusionProofsAsync"/>; a few bounded
    /// queries for the size and the distinct nodes, not two per index).
    /// </summary>
    public Task<List<(long Index, byte[] LeafHash, List<byte[]> Proof)>> InclusionProofsAsync(Guid review, long treeSize, IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var proofs = await new MerkleLog(new DbMerkleNodeStore(connection, null, review)).GetInclusionProofsAsync(indexes, treeSize, cancellationToken).ConfigureAwait(false);
            return proofs.Select((p, i) => (indexes[i], p.LeafHash, p.Proof)).ToList();
        }, cancellationToken);

    /// <summary>
    /// The range proof of entries <paramref name="start"/> .. <paramref name="end"/> - 1 in the tree of
    /// <paramref name="treeSize"/> entries (<see cref="MerkleLog.GetRangeProofAsync"/>: the size and one node read).
    /// </summary>
    public Task<List<byte[]>> RangeProofAsync(Guid review, long treeSize, long start, long end, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection => await new MerkleLog(new DbMerkleNodeStore(connection, null, review)).GetRangeProofAsync(start, end, treeSize, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>The consistency proof from <paramref name="from"/> to <paramref name="to"/> entries.</summary>
    public Task<List<byte[]>> ConsistencyProofAsync(Guid review, long from, long to, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection => await new MerkleLog(new DbMerkleNodeStore(connection, null, review)).GetConsistencyProofAsync(from, to, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// Entries <paramref name="start"/> to <paramref name="start"/> + <paramref name="limit"/> - 1 (fewer at the log's
    /// end), each rebuilt and checked against its stored leaf hash (a mismatch is a corrupt database and throws).
    /// </summary>
    public Task<List<StoredArchiveEntry>> ReadEntriesAsync(Guid review, long start, int limit, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var entries = new List<StoredArchiveEntry>(Math.Min(limit, 1024));
            await using var command = ArchiveSql.Command(connection, null,
                "SELECT e.idx, e.kind, e.received_at, e.target, e.form, e.payload_length, e.payload_sha256, e.channel, e.payload, v.envelope, r.record, n.hash " +
                "FROM archive_entries e " +
                "JOIN archive_nodes n ON n.review_id = e.review_id AND n.level = 0 AND n.idx = e.idx " +
                "LEFT JOIN envelopes v ON e.kind = 1 AND e.source_number IS NOT NULL AND v.review_id = e.review_id AND v.channel = e.channel AND v.sequence = e.source_number " +
                "LEFT JOIN epoch_records r ON e.kind = 2 AND e.source_number IS NOT NULL AND r.review_id = e.review_id AND r.channel = e.channel AND r.epoch = e.source_number " +
                "WHERE e.review_id = @r AND e.idx >= @start AND e.idx < @end ORDER BY e.idx");
            ArchiveSql.Add(command, "@r", ArchiveSql.Review(connection, review));
            ArchiveSql.Add(command, "@start", start);
            ArchiveSql.Add(command, "@end", start + limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(Rebuild(review, reader));
            }

            return entries;
        }, cancellationToken);

    /// <summary>
    /// The archive indexes of the items <paramref name="first"/>..<paramref name="last"/> of a channel (envelope sequences or
    /// epochs) by item number, with each envelope entry's form: a summary entry keeps its payload in its row, a whole
    /// envelope's entry reads the envelope's row.
    /// </summary>
    public Task<Dictionary<long, ArchivedAt>> IndexesOfAsync(Guid review, ArchiveEntryKind kind, string channel, long first, long last, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var indexes = new Dictionary<long, ArchivedAt>();
            await using var command = ArchiveSql.Command(connection, null,
                "SELECT source_number, idx, CASE WHEN payload IS NULL THEN 0 ELSE 1 END FROM archive_entries WHERE review_id = @r AND kind = @k AND channel = @c AND source_number >= @a AND source_number <= @b");
            ArchiveSql.Add(command, "@r", ArchiveSql.Review(connection, review));
            ArchiveSql.Add(command, "@k", ArchiveSql.IsSqlite(connection) ? (long)kind : (short)kind);
            ArchiveSql.Add(command, "@c", channel);
            ArchiveSql.Add(command, "@a", first);
            ArchiveSql.Add(command, "@b", last);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var form = kind == ArchiveEntryKind.Envelope && ArchiveSql.ReadLong(reader, 2) == 1 ? EnvelopeEntryForm.Summary : EnvelopeEntryForm.WholeEnvelope;
                indexes[ArchiveSql.ReadLong(reader, 0)] = new ArchivedAt(ArchiveSql.ReadLong(reader, 1), form);
            }

            return indexes;
        }, cancellationToken);

    /// <summary>
    /// The archive indexes of a review-wide kind's entries (trust statements are <c>MembershipChange</c>, disclosure
    /// policy statements <c>PolicyChange</c>), by the lower-case hex SHA-256 of their payload: the statement rows keep no
    /// index, and their entries' payloads are the statement bytes. Few per review; the first entry wins a repeat.
    /// </summary>
    public Task<Dictionary<string, long>> IndexesByPayloadAsync(Guid review, ArchiveEntryKind kind, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var indexes = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var command = ArchiveSql.Command(connection, null,
                "SELECT payload_sha256, idx FROM archive_entries WHERE review_id = @r AND kind = @k AND channel IS NULL ORDER BY idx");
            ArchiveSql.Add(command, "@r", ArchiveSql.Review(connection, review));
            ArchiveSql.Add(command, "@k", ArchiveSql.IsSqlite(connection) ? (long)kind : (short)kind);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                indexes.TryAdd(Convert.ToHexStringLower((byte[])reader.GetValue(0)), ArchiveSql.ReadLong(reader, 1));
            }

            return indexes;
        }, cancellationToken);

    /// <summary>The archive index of <paramref name="payload"/> in <paramref name="indexes"/> (from <see cref="IndexesByPayloadAsync"/>), if logged.</summary>
    public static long? IndexOf(Dictionary<string, long> indexes, byte[] payload) =>
        indexes.TryGetValue(Convert.ToHexStringLower(SHA256.HashData(payload)), out var index) ? index : null;

    /// <summary>Every checkpoint the log signed for the review, by tree size then signing time, as note text.</summary>
    public Task<List<string>> CheckpointsAsync(Guid review, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var notes = new List<string>();
            await using var command = ArchiveSql.Command(connection, null, "SELECT note FROM archive_checkpoints WHERE review_id = @r ORDER BY tree_size, signed_at");
            ArchiveSql.Add(command, "@r", ArchiveSql.Review(connection, review));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                notes.Add(reader.GetString(0));
            }

            return notes;
        }, cancellationToken);

    /// <summary>Cosignatures received (the cosigned notes themselves are the payloads of their entries).</summary>
    public Task<List<ArchiveCosignature>> CosignaturesAsync(Guid review, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            var cosignatures = new List<ArchiveCosignature>();
            await using var command = ArchiveSql.Command(connection, null,
                "SELECT tree_size, device_id, cosigned_at, entry_idx FROM archive_cosignatures WHERE review_id = @r ORDER BY entry_idx");
            ArchiveSql.Add(command, "@r", ArchiveSql.Review(connection, review));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                cosignatures.Add(new ArchiveCosignature(ArchiveSql.ReadLong(reader, 0), reader.GetString(1),
                    DateTimeOffset.FromUnixTimeSeconds(ArchiveSql.ReadLong(reader, 2)), ArchiveSql.ReadLong(reader, 3)));
            }

            return cosignatures;
        }, cancellationToken);

    /// <summary>Every registered device (revoked ones included) of the review's members, with its card.</summary>
    public async Task<List<ArchiveDevice>> DevicesAsync(Guid review, CancellationToken cancellationToken) =>
        await (from m in db.ReviewMembers
               join d in db.Devices on m.AccountId equals d.AccountId
               where m.ReviewId == review
               orderby d.DeviceId
               select new ArchiveDevice(d.DeviceId, d.AccountId, m.StateCode, d.Card, d.RegisteredAt, d.RevokedAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Every epoch record of the review's channels (they hold the wrapped epoch keys), by channel and epoch.</summary>
    public async Task<List<ArchiveEpochRecord>> EpochRecordsAsync(Guid review, CancellationToken cancellationToken) =>
        await db.EpochRecords.Where(r => r.ReviewId == review)
            .OrderBy(r => r.Channel).ThenBy(r => r.Epoch)
            .Select(r => new ArchiveEpochRecord(r.Channel, r.Epoch, r.Record, r.StoredAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    private static StoredArchiveEntry Rebuild(Guid review, DbDataReader reader)
    {
        var index = ArchiveSql.ReadLong(reader, 0);
        var kind = (ArchiveEntryKind)ArchiveSql.ReadLong(reader, 1);
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(ArchiveSql.ReadLong(reader, 2));
        var target = ArchiveSql.ReadNullableLong(reader, 3);
        var form = (ArchivePayloadForm)ArchiveSql.ReadLong(reader, 4);
        var length = ArchiveSql.ReadLong(reader, 5);
        var digest = (byte[])reader.GetValue(6);
        var channel = reader.IsDBNull(7) ? null : reader.GetString(7);
        var payload = ArchiveSql.ReadNullableBytes(reader, 8) ?? ArchiveSql.ReadNullableBytes(reader, 9) ?? ArchiveSql.ReadNullableBytes(reader, 10);
        var leaf = (byte[])reader.GetValue(11);
        ArchiveEntry entry;
        if (form == ArchivePayloadForm.Inline)
        {
            if (payload is null || payload.Length != length || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(payload), digest))
            {
                throw new InvalidOperationException($"Archive entry {index} of review {review} lost its payload.");
            }

            entry = ArchiveEntry.Create(review, index, kind, receivedAt, payload, target);
        }
        else
        {
            entry = ArchiveEntry.CreateDigest(review, index, kind, receivedAt, digest, length, target);
        }

        var encoded = entry.Encode();
        if (!CryptographicOperations.FixedTimeEquals(Vault.Merkle.MerkleHash.Leaf(encoded), leaf))
        {
            throw new InvalidOperationException($"Archive entry {index} of review {review} does not match its leaf hash.");
        }

        // A summary entry (its payload in its row) names the envelope kept beside the log, joined as column 9.
        var beside = kind == ArchiveEntryKind.Envelope && !reader.IsDBNull(8) ? ArchiveSql.ReadNullableBytes(reader, 9) : null;
        return new StoredArchiveEntry(index, kind, channel, encoded, leaf, entry.Payload, beside);
    }

    private async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(db.Database.GetDbConnection()).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
