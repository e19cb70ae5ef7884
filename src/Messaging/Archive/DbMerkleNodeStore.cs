using System.Data.Common;
using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// <see cref="IMerkleNodeStore"/> of one review's log over the database: nodes in <c>archive_nodes</c> (primary key
/// review, level, index), the leaf count in <c>archive_logs.size</c>. A proof's nodes are read in ONE indexed query
/// (at most 2 log2 n rows, <see cref="MerkleLog"/>), a batch of proofs' distinct nodes in queries of at most
/// <see cref="MaxNodesPerQuery"/>; an append writes its nodes in multi-row INSERTs and moves the size
/// from the expected value only (else <see cref="MerkleStoreConflictException"/>). Never updates or deletes a node (the
/// triggers of migration 0003 would refuse it). Used within the caller's connection and transaction; not thread-safe.
/// </summary>
internal sealed class DbMerkleNodeStore : IMerkleNodeStore
{
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    private readonly Guid _review;
    private readonly object _reviewValue;
    private long? _knownSize;

    /// <summary>Most distinct nodes in one SELECT (a batch of inclusion proofs may need more; well below either engine's parameter limit).</summary>
    internal const int MaxNodesPerQuery = 500;

    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction appends happen in (null for reads).</param>
    /// <param name="review">The review whose log this is.</param>
    /// <param name="knownSize">The size the caller read under the log's row lock (saves a query), or null.</param>
    public DbMerkleNodeStore(DbConnection connection, DbTransaction? transaction, Guid review, long? knownSize = null)
    {
        _connection = connection;
        _transaction = transaction;
        _review = review;
        _reviewValue = ArchiveSql.Review(connection, review);
        _knownSize = knownSize;
    }

    /// <summary>SQL statements this store executed (tests: a proof is one query).</summary>
    public int Queries { get; private set; }

    /// <summary>Nodes read.</summary>
    public long NodeReads { get; private set; }

    public async ValueTask<long> GetLeafCountAsync(CancellationToken cancellationToken = default)
    {
        if (_knownSize is { } known)
        {
            return known;
        }

        Queries++;
        var size = await ArchiveSql.ScalarAsync(_connection, _transaction, "SELECT size FROM archive_logs WHERE review_id = @r",
            c => ArchiveSql.Add(c, "@r", _reviewValue), cancellationToken).ConfigureAwait(false);
        var value = size is null ? 0 : Convert.ToInt64(size, System.Globalization.CultureInfo.InvariantCulture);
        _knownSize = value;
        return value;
    }

    public async ValueTask ReadNodesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (destination.Length < ids.Count * MerkleHash.Size)
        {
            throw new ArgumentException("The destination is too small.", nameof(destination));
        }

        if (ids.Count == 0)
        {
            return;
        }

        var positions = new Dictionary<MerkleNodeId, List<int>>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!positions.TryGetValue(ids[i], out var list))
            {
                positions[ids[i]] = list = [];
            }

            list.Add(i);
        }

        var found = 0;
        var distinct = positions.Keys.ToList();
        for (var first = 0; first < distinct.Count; first += MaxNodesPerQuery)
        {
            found += await ReadChunkAsync(distinct.GetRange(first, Math.Min(MaxNodesPerQuery, distinct.Count - first)), positions, destination, cancellationToken).ConfigureAwait(false);
        }

        NodeReads += ids.Count;
        if (found != positions.Count)
        {
            throw new InvalidOperationException($"The archive of review {_review} lacks {positions.Count - found} of the nodes a proof needs.");
        }
    }

    // Reads the nodes of one bounded chunk and copies each hash to every position that asked for it; returns the rows.
    private async Task<int> ReadChunkAsync(List<MerkleNodeId> chunk, Dictionary<MerkleNodeId, List<int>> positions, Memory<byte> destination, CancellationToken cancellationToken)
    {
        // One top-level OR of primary-key lookups, one term per level: each term is an index seek on both engines
        // (SQLite's OR optimisation needs every term indexable on its own; with review_id outside the OR it would
        // scan the review).
        var sql = new StringBuilder("SELECT level, idx, hash FROM archive_nodes WHERE ");
        await using var command = ArchiveSql.Command(_connection, _transaction, string.Empty);
        ArchiveSql.Add(command, "@r", _reviewValue);
        var n = 0;
        foreach (var level in chunk.GroupBy(id => id.Level))
        {
            sql.Append(n == 0 ? string.Empty : " OR ").Append("(review_id = @r AND level = @l").Append(level.Key).Append(" AND idx IN (");
            ArchiveSql.Add(command, $"@l{level.Key}", IsSqliteLevel(level.Key));
            var first = true;
            foreach (var id in level)
            {
                sql.Append(first ? "@i" : ", @i").Append(n);
                ArchiveSql.Add(command, $"@i{n}", id.Index);
                first = false;
                n++;
            }

            sql.Append("))");
        }

#pragma warning disable CA2100 // Fixed fragments and numbered parameters.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        Queries++;
        var found = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new MerkleNodeId((int)ArchiveSql.ReadLong(reader, 0), ArchiveSql.ReadLong(reader, 1));
            var hash = (byte[])reader.GetValue(2);
            if (hash.Length != MerkleHash.Size || !positions.TryGetValue(id, out var at))
            {
                throw new InvalidOperationException($"Archive node {id} of review {_review} is corrupt.");
            }

            foreach (var position in at)
            {
                hash.CopyTo(destination.Span[(position * MerkleHash.Size)..]);
            }

            found++;
        }

        return found;
    }

    public async ValueTask AppendAsync(long expectedLeafCount, IReadOnlyList<MerkleNode> nodes, long newLeafCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (_transaction is null)
        {
            throw new InvalidOperationException("Archive appends happen in the transaction of the event they record.");
        }

        for (var start = 0; start < nodes.Count; start += ArchiveSql.MaxRowsPerInsert)
        {
            var count = Math.Min(ArchiveSql.MaxRowsPerInsert, nodes.Count - start);
            var sql = new StringBuilder("INSERT INTO archive_nodes (review_id, level, idx, hash) VALUES ");
            await using var command = ArchiveSql.Command(_connection, _transaction, string.Empty);
            ArchiveSql.Add(command, "@r", _reviewValue);
            for (var i = 0; i < count; i++)
            {
                var node = nodes[start + i];
                sql.Append(i == 0 ? "(@r, @l" : ", (@r, @l").Append(i).Append(", @i").Append(i).Append(", @h").Append(i).Append(')');
                ArchiveSql.Add(command, $"@l{i}", IsSqliteLevel(node.Id.Level));
                ArchiveSql.Add(command, $"@i{i}", node.Id.Index);
                ArchiveSql.Add(command, $"@h{i}", node.Hash.ToArray());
            }

#pragma warning disable CA2100 // Fixed fragments and numbered parameters.
            command.CommandText = sql.ToString();
#pragma warning restore CA2100
            Queries++;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Queries++;
        var moved = await ArchiveSql.ExecuteAsync(_connection, _transaction,
            "UPDATE archive_logs SET size = @new WHERE review_id = @r AND size = @expected",
            c =>
            {
                ArchiveSql.Add(c, "@new", newLeafCount);
                ArchiveSql.Add(c, "@r", _reviewValue);
                ArchiveSql.Add(c, "@expected", expectedLeafCount);
            },
            cancellationToken).ConfigureAwait(false);
        if (moved != 1)
        {
            throw new MerkleStoreConflictException($"The log of review {_review} is not at size {expectedLeafCount}.");
        }

        _knownSize = newLeafCount;
    }

    // An int parameter: SQLite's INTEGER, and assignable to PostgreSQL's smallint.
    private static int IsSqliteLevel(int level) => level;
}
