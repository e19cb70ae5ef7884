using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// <see cref="IMerkleNodeStore"/> in memory: per level, 32-byte hashes in pages of 1024 (32 KiB, below the
/// large object heap). Append-only: a node can be written once, at the next free index of its level. Counts
/// every node read (<see cref="NodeReads"/>) and every read call (<see cref="ReadCalls"/>) so tests can check
/// that proofs cost O(log n) reads. Thread-safe.
/// </summary>
public sealed class InMemoryMerkleNodeStore : IMerkleNodeStore
{
    private const int PageNodes = 1024;
    private const int MaxLevels = 63;

    private readonly List<byte[]>[] _pages = new List<byte[]>[MaxLevels];
    private readonly long[] _counts = new long[MaxLevels];
    private readonly Lock _lock = new();
    private long _leafCount;
    private long _nodeReads;
    private long _readCalls;

    /// <summary>Creates an empty store.</summary>
    public InMemoryMerkleNodeStore()
    {
        for (var level = 0; level < MaxLevels; level++)
        {
            _pages[level] = [];
        }
    }

    /// <summary>Nodes read since creation or the last <see cref="ResetCounters"/>.</summary>
    public long NodeReads => Interlocked.Read(ref _nodeReads);

    /// <summary>Calls to <see cref="ReadNodesAsync"/> since creation or the last <see cref="ResetCounters"/>.</summary>
    public long ReadCalls => Interlocked.Read(ref _readCalls);

    /// <summary>Nodes stored over all levels.</summary>
    public long NodeCount
    {
        get
        {
            lock (_lock)
            {
                return _counts.Sum();
            }
        }
    }

    /// <summary>Sets the read counters to zero.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _nodeReads, 0);
        Interlocked.Exchange(ref _readCalls, 0);
    }

    /// <inheritdoc />
    public ValueTask<long> GetLeafCountAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_leafCount);
        }
    }

    /// <inheritdoc />
    public ValueTask ReadNodesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (destination.Length < ids.Count * MerkleHash.Size)
        {
            throw new ArgumentException("The destination is too small.", nameof(destination));
        }

        Interlocked.Increment(ref _readCalls);
        Interlocked.Add(ref _nodeReads, ids.Count);
        var span = destination.Span;
        lock (_lock)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                var id = ids[i];
                if (id.Level is < 0 or >= MaxLevels || id.Index < 0 || id.Index >= _counts[id.Level])
                {
                    throw new InvalidOperationException($"Node {id} is not stored.");
                }

                var page = _pages[id.Level][(int)(id.Index / PageNodes)];
                page.AsSpan((int)(id.Index % PageNodes) * MerkleHash.Size, MerkleHash.Size).CopyTo(span[(i * MerkleHash.Size)..]);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(long expectedLeafCount, IReadOnlyList<MerkleNode> nodes, long newLeafCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_lock)
        {
            if (_leafCount != expectedLeafCount)
            {
                throw new MerkleStoreConflictException();
            }

            // Check the whole batch before writing anything: each node goes to the next free index of its
            // level, and the leaves written are exactly the new ones.
            Span<long> next = stackalloc long[MaxLevels];
            _counts.CopyTo(next);
            foreach (var node in nodes)
            {
                var level = node.Id.Level;
                if (level is < 0 or >= MaxLevels || node.Id.Index != next[level] || node.Hash.Length != MerkleHash.Size)
                {
                    throw new InvalidOperationException($"Node {node.Id} is not the next node of its level; the store is append-only.");
                }

                next[level]++;
            }

            if (next[0] != newLeafCount || newLeafCount < expectedLeafCount)
            {
                throw new InvalidOperationException("The nodes written do not match the new leaf count.");
            }

            foreach (var node in nodes)
            {
                Write(node);
            }

            _leafCount = newLeafCount;
        }

        return ValueTask.CompletedTask;
    }

    private void Write(MerkleNode node)
    {
        var level = node.Id.Level;
        var pages = _pages[level];
        var offset = (int)(node.Id.Index % PageNodes);
        if (offset == 0)
        {
            pages.Add(new byte[PageNodes * MerkleHash.Size]);
        }

        node.Hash.Span.CopyTo(pages[^1].AsSpan(offset * MerkleHash.Size));
        _counts[level]++;
    }
}
