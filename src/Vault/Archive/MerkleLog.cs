using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// An append-only RFC 9162 log over an <see cref="IMerkleNodeStore"/>. Appending a leaf writes it and the
/// complete subtrees it closes (amortised two nodes per leaf); roots of any past size, inclusion proofs and
/// consistency proofs are assembled from O(log n) stored subtree hashes read in one batch, never by rebuilding
/// the tree. Results are byte-for-byte those of <see cref="MerkleTree"/> (RFC 9162 sections 2.1.1 to 2.1.4).
/// </summary>
/// <remarks>
/// One writer per log: appends are serialised by the store's expected-count check
/// (<see cref="MerkleStoreConflictException"/>). Reads may run concurrently with appends; a proof for sizes up to
/// the committed count only reads nodes that can no longer change.
/// </remarks>
public sealed class MerkleLog
{
    private readonly IMerkleNodeStore _store;
    private readonly Lock _lock = new();
    private MerkleFrontier? _frontier;

    /// <summary>A log over <paramref name="store"/>.</summary>
    public MerkleLog(IMerkleNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The number of leaves.</summary>
    public ValueTask<long> GetSizeAsync(CancellationToken cancellationToken = default) => _store.GetLeafCountAsync(cancellationToken);

    /// <summary>Appends one leaf hash at <paramref name="index"/>, which must be the log's size.</summary>
    public ValueTask AppendAsync(long index, ReadOnlyMemory<byte> leafHash, CancellationToken cancellationToken = default) =>
        AppendAsync(index, [leafHash], cancellationToken);

    /// <summary>
    /// Appends <paramref name="leafHashes"/> (32 bytes each) at indices <paramref name="firstIndex"/>, +1, ...;
    /// <paramref name="firstIndex"/> must be the log's size, else <see cref="MerkleStoreConflictException"/> and
    /// nothing is written. Reads the right edge of the tree once (at most log2 n nodes, none when this instance
    /// made the previous append) and writes all new nodes in one store call.
    /// </summary>
    public async ValueTask AppendAsync(long firstIndex, IReadOnlyList<ReadOnlyMemory<byte>> leafHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        if (leafHashes.Any(h => h.Length != MerkleHash.Size))
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHashes));
        }

        var size = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        if (size != firstIndex)
        {
            throw new MerkleStoreConflictException($"The log has {size} leaves; cannot append at index {firstIndex}.");
        }

        if (leafHashes.Count == 0)
        {
            return;
        }

        var frontier = await FrontierAsync(size, cancellationToken).ConfigureAwait(false);
        var nodes = new List<MerkleNode>(2 * leafHashes.Count + 64);
        foreach (var leaf in leafHashes)
        {
            frontier.Append(leaf.Span, nodes);
        }

        try
        {
            await _store.AppendAsync(size, nodes, frontier.Size, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
            {
                _frontier = null;
            }

            throw;
        }

        lock (_lock)
        {
            _frontier = frontier;
        }
    }

    /// <summary>The RFC 9162 root of the first <paramref name="size"/> leaves (<c>SHA-256("")</c> for 0).</summary>
    public async ValueTask<byte[]> GetRootAsync(long size, CancellationToken cancellationToken = default)
    {
        await CheckSizeAsync(size, cancellationToken).ConfigureAwait(false);
        if (size == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var plan = new Plan();
        plan.Add(0, size);
        return (await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>The stored hash of leaf <paramref name="index"/>.</summary>
    public async ValueTask<byte[]> GetLeafHashAsync(long index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        await CheckSizeAsync(index + 1, cancellationToken).ConfigureAwait(false);
        var plan = new Plan();
        plan.Add(index, index + 1);
        return (await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// The RFC 9162 inclusion proof (PATH, section 2.1.3.1) of leaf <paramref name="index"/> in the tree of the
    /// first <paramref name="treeSize"/> leaves; <c>0 &lt;= index &lt; treeSize &lt;= size</c>.
    /// </summary>
    public async ValueTask<List<byte[]>> GetInclusionProofAsync(long index, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);
        await CheckSizeAsync(treeSize, cancellationToken).ConfigureAwait(false);
        var plan = new Plan();
        plan.Path(index, 0, treeSize);
        return await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored leaf hash and the inclusion proof of each of <paramref name="indexes"/> in the tree of the first
    /// <paramref name="treeSize"/> leaves, in the given order, each equal to what <see cref="GetLeafHashAsync"/> and
    /// <see cref="GetInclusionProofAsync"/> return for it; the nodes of all of them are read in ONE store call (a
    /// store reads a node shared by several proofs once), so a batch of k proofs costs one round trip and
    /// O(k log n) node lookups instead of 2k round trips.
    /// </summary>
    public async ValueTask<List<(byte[] LeafHash, List<byte[]> Proof)>> GetInclusionProofsAsync(IReadOnlyList<long> indexes, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        foreach (var index in indexes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);
        }

        await CheckSizeAsync(treeSize, cancellationToken).ConfigureAwait(false);
        var plan = new Plan();
        var firsts = new int[indexes.Count + 1];
        for (var i = 0; i < indexes.Count; i++)
        {
            firsts[i] = plan.Ranges;
            plan.Add(indexes[i], indexes[i] + 1);
            plan.Path(indexes[i], 0, treeSize);
        }

        firsts[indexes.Count] = plan.Ranges;
        var hashes = await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false);
        var results = new List<(byte[], List<byte[]>)>(indexes.Count);
        for (var i = 0; i < indexes.Count; i++)
        {
            results.Add((hashes[firsts[i]], hashes.GetRange(firsts[i] + 1, firsts[i + 1] - firsts[i] - 1)));
        }

        return results;
    }

    /// <summary>
    /// The range proof (docs/protocol.md 16.3, RANGE) of leaves <paramref name="start"/> .. <paramref name="end"/> - 1 in
    /// the tree of the first <paramref name="treeSize"/> leaves; <c>0 &lt;= start &lt; end &lt;= treeSize &lt;= size</c>.
    /// At most 2 log2 n hashes, all read in one store call; equal to <see cref="MerkleTree.RangeProof"/>.
    /// </summary>
    public async ValueTask<List<byte[]>> GetRangeProofAsync(long start, long end, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, treeSize);
        await CheckSizeAsync(treeSize, cancellationToken).ConfigureAwait(false);
        var plan = new Plan();
        plan.Range(start, end, 0, treeSize);
        return await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The RFC 9162 consistency proof (PROOF, section 2.1.4.1) from the first <paramref name="oldSize"/> leaves to
    /// the first <paramref name="newSize"/>; empty when <c>oldSize</c> is 0 or equals <c>newSize</c>.
    /// </summary>
    public async ValueTask<List<byte[]>> GetConsistencyProofAsync(long oldSize, long newSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        await CheckSizeAsync(newSize, cancellationToken).ConfigureAwait(false);
        var plan = new Plan();
        if (oldSize > 0 && oldSize < newSize)
        {
            plan.SubProof(oldSize, 0, newSize, true);
        }

        return await plan.ExecuteAsync(_store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the complete subtrees whose concatenation is leaves <c>[start, end)</c>, largest first. Valid for the
    /// ranges RFC 9162's recursion produces, whose start is a multiple of a power of two at least their length.
    /// </summary>
    internal static int AddRange(long start, long end, List<MerkleNodeId> ids)
    {
        var added = 0;
        var position = start;
        for (var level = 62; level >= 0; level--)
        {
            if (((end - start) >> level & 1) == 1)
            {
                ids.Add(new MerkleNodeId(level, position >> level));
                position += 1L << level;
                added++;
            }
        }

        return added;
    }

    private async ValueTask CheckSizeAsync(long size, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var committed = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        if (size > committed)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The log has only {committed} leaves.");
        }
    }

    private async ValueTask<MerkleFrontier> FrontierAsync(long size, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_frontier is { } cached && cached.Size == size)
            {
                _frontier = null;
                return cached;
            }
        }

        var ids = MerkleFrontier.Decomposition(size);
        var buffer = new byte[ids.Count * MerkleHash.Size];
        await _store.ReadNodesAsync(ids, buffer, cancellationToken).ConfigureAwait(false);
        return MerkleFrontier.FromNodes(size, ids, buffer);
    }

    /// <summary>
    /// A proof as a list of subtree ranges, each read as its complete-subtree decomposition; all nodes of all
    /// ranges are read in one store call and each range folded right to left into its RFC 9162 hash.
    /// </summary>
    private sealed class Plan
    {
        private readonly List<MerkleNodeId> _ids = [];
        private readonly List<int> _counts = [];

        /// <summary>Ranges added so far (one result each).</summary>
        public int Ranges => _counts.Count;

        public void Add(long start, long end) => _counts.Add(AddRange(start, end, _ids));

        // RFC 9162 2.1.3.1 PATH(m, D[start:end]) with m an absolute leaf index.
        public void Path(long m, long start, long end)
        {
            var n = end - start;
            if (n <= 1)
            {
                return;
            }

            var k = MerkleHash.SplitPoint(n);
            if (m - start < k)
            {
                Path(m, start, start + k);
                Add(start + k, end);
            }
            else
            {
                Path(m, start + k, end);
                Add(start, start + k);
            }
        }

        // RANGE(a, b, D[lo:hi]) (docs/protocol.md 16.3): the subtrees beside the run, deepest first on each side.
        public void Range(long a, long b, long lo, long hi)
        {
            if (a <= lo && hi <= b)
            {
                return;
            }

            var mid = lo + MerkleHash.SplitPoint(hi - lo);
            if (b <= mid)
            {
                Range(a, b, lo, mid);
                Add(mid, hi);
            }
            else if (a >= mid)
            {
                Range(a, b, mid, hi);
                Add(lo, mid);
            }
            else
            {
                Range(a, b, lo, mid);
                Range(a, b, mid, hi);
            }
        }

        // RFC 9162 2.1.4.1 SUBPROOF(m, D[start:end], b) with m a number of leaves counted from start.
        public void SubProof(long m, long start, long end, bool complete)
        {
            var n = end - start;
            if (m == n)
            {
                if (!complete)
                {
                    Add(start, end);
                }

                return;
            }

            var k = MerkleHash.SplitPoint(n);
            if (m <= k)
            {
                SubProof(m, start, start + k, complete);
                Add(start + k, end);
            }
            else
            {
                SubProof(m - k, start + k, end, false);
                Add(start, start + k);
            }
        }

        public async ValueTask<List<byte[]>> ExecuteAsync(IMerkleNodeStore store, CancellationToken cancellationToken)
        {
            var result = new List<byte[]>(_counts.Count);
            if (_ids.Count == 0)
            {
                return result;
            }

            var buffer = new byte[_ids.Count * MerkleHash.Size];
            await store.ReadNodesAsync(_ids, buffer, cancellationToken).ConfigureAwait(false);
            var offset = 0;
            foreach (var count in _counts)
            {
                var hash = buffer.AsSpan((offset + count - 1) * MerkleHash.Size, MerkleHash.Size).ToArray();
                for (var i = offset + count - 2; i >= offset; i--)
                {
                    hash = MerkleHash.Node(buffer.AsSpan(i * MerkleHash.Size, MerkleHash.Size), hash);
                }

                result.Add(hash);
                offset += count;
            }

            return result;
        }
    }
}
