using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Tests.Archive;

/// <summary>
/// <see cref="MerkleLog"/> over stored subtree hashes gives exactly <see cref="MerkleTree"/>'s roots and
/// proofs, and a proof in a log of a million leaves costs O(log n) node reads in one batch.
/// </summary>
public sealed class MerkleLogTests
{
    private const int CrossCheckSize = 200;

    private static readonly byte[][] s_leaves = [.. Enumerable.Range(0, CrossCheckSize).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i)))];

    [Fact]
    public async Task RootsAndProofs_EverySizeUpTo200_EqualMerkleTreeAndVerify()
    {
        // Arrange: appended in irregular batches, so every batch boundary and frontier shape is exercised.
        var log = new MerkleLog(new InMemoryMerkleNodeStore());
        var position = 0;
        var batch = 1;
        while (position < CrossCheckSize)
        {
            var count = Math.Min(batch, CrossCheckSize - position);
            await log.AppendAsync(position, [.. s_leaves.Skip(position).Take(count).Select(l => (ReadOnlyMemory<byte>)l)]);
            position += count;
            batch = (batch % 7) + 1;
        }

        var mismatches = new List<string>();

        // Act
        for (var size = 0; size <= CrossCheckSize; size++)
        {
            var tree = s_leaves[..size];
            var root = await log.GetRootAsync(size);
            if (!root.AsSpan().SequenceEqual(MerkleTree.Root(tree)))
            {
                mismatches.Add($"root {size}");
            }

            for (var index = 0; index < size; index++)
            {
                var proof = await log.GetInclusionProofAsync(index, size);
                if (!Same(proof, MerkleTree.InclusionProof(tree, index)) || !MerkleProofs.VerifyInclusion(tree[index], index, size, root, proof))
                {
                    mismatches.Add($"inclusion {index}/{size}");
                }
            }

            for (var oldSize = 0; oldSize <= size; oldSize++)
            {
                var proof = await log.GetConsistencyProofAsync(oldSize, size);
                if (!Same(proof, MerkleTree.ConsistencyProof(tree, oldSize)) ||
                    !MerkleProofs.VerifyConsistency(oldSize, size, MerkleTree.Root(s_leaves[..oldSize]), root, proof))
                {
                    mismatches.Add($"consistency {oldSize}->{size}");
                }
            }
        }

        // Assert
        Assert.Empty(mismatches);
        Assert.Equal(CrossCheckSize, await log.GetSizeAsync());
    }

    [Fact]
    public async Task InclusionProofsBatch_EverySizeUpTo200_EqualsSingleProofsInOneRead()
    {
        // Arrange
        var store = new InMemoryMerkleNodeStore();
        var log = new MerkleLog(store);
        await log.AppendAsync(0, [.. s_leaves.Select(l => (ReadOnlyMemory<byte>)l)]);
        var mismatches = new List<string>();

        for (var size = 1; size <= CrossCheckSize; size++)
        {
            // Every index, in reverse order, with the edges 0 and size - 1 repeated.
            List<long> indexes = [.. Enumerable.Range(0, size).Reverse().Select(i => (long)i), 0, size - 1];
            store.ResetCounters();

            // Act
            var batch = await log.GetInclusionProofsAsync(indexes, size);

            // Assert: one read for the batch; each proof and leaf is the single-index one, and MerkleTree's.
            if (store.ReadCalls != 1 || batch.Count != indexes.Count)
            {
                mismatches.Add($"reads {store.ReadCalls}, count {batch.Count} at {size}");
            }

            for (var i = 0; i < indexes.Count; i++)
            {
                var index = indexes[i];
                var leaf = await log.GetLeafHashAsync(index);
                var proof = await log.GetInclusionProofAsync(index, size);
                if (!batch[i].LeafHash.AsSpan().SequenceEqual(leaf) || !Same(batch[i].Proof, proof) ||
                    !Same(batch[i].Proof, MerkleTree.InclusionProof(s_leaves[..size], (int)index)))
                {
                    mismatches.Add($"inclusion {index}/{size}");
                }
            }
        }

        Assert.Empty(mismatches);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetInclusionProofsAsync([0, 5], 5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetInclusionProofsAsync([0], CrossCheckSize + 1));
    }

    [Fact]
    public void Frontier_EverySizeUpTo200_RootEqualsMerkleTree()
    {
        var frontier = new MerkleFrontier();
        Assert.Equal(MerkleHash.EmptyRoot(), frontier.Root());
        for (var size = 1; size <= CrossCheckSize; size++)
        {
            frontier.Append(s_leaves[size - 1]);
            Assert.Equal(MerkleTree.Root(s_leaves[..size]), frontier.Root());
        }
    }

    [Fact]
    public async Task EmptyLog_RootIsSha256OfEmptyAndOnlyTrivialProofs()
    {
        var log = new MerkleLog(new InMemoryMerkleNodeStore());

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(await log.GetRootAsync(0)));
        Assert.Empty(await log.GetConsistencyProofAsync(0, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetInclusionProofAsync(0, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetRootAsync(1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetLeafHashAsync(0));
    }

    [Fact]
    public async Task Append_AtAnIndexOtherThanTheSize_ConflictAndNothingWritten()
    {
        var store = new InMemoryMerkleNodeStore();
        var log = new MerkleLog(store);
        await log.AppendAsync(0, s_leaves[0]);

        await Assert.ThrowsAsync<MerkleStoreConflictException>(async () => await log.AppendAsync(0, s_leaves[1]));
        await Assert.ThrowsAsync<MerkleStoreConflictException>(async () => await log.AppendAsync(2, s_leaves[1]));

        Assert.Equal(1, await log.GetSizeAsync());
        Assert.Equal(1, store.NodeCount);
    }

    [Fact]
    public async Task TwoWriters_SecondAppendOnStaleSize_ConflictThenRecoversAfterReload()
    {
        var store = new InMemoryMerkleNodeStore();
        var first = new MerkleLog(store);
        var second = new MerkleLog(store);
        await first.AppendAsync(0, s_leaves[0]);
        await second.AppendAsync(1, s_leaves[1]);

        // The first writer's cached frontier is for size 1; it must reload rather than write a wrong tree.
        await first.AppendAsync(2, s_leaves[2]);

        Assert.Equal(MerkleTree.Root(s_leaves[..3]), await second.GetRootAsync(3));
    }

    [Fact]
    public async Task Store_NodeOutOfOrderOrOverwrite_RefusedAndNothingWritten()
    {
        var store = new InMemoryMerkleNodeStore();
        var hash = new byte[32];

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.AppendAsync(0, [new MerkleNode(new MerkleNodeId(0, 1), hash)], 1));
        await store.AppendAsync(0, [new MerkleNode(new MerkleNodeId(0, 0), hash)], 1);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.AppendAsync(1, [new MerkleNode(new MerkleNodeId(0, 0), hash)], 2));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.AppendAsync(1, [new MerkleNode(new MerkleNodeId(0, 1), hash)], 3));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.ReadNodesAsync([new MerkleNodeId(1, 0)], new byte[32]));

        Assert.Equal(1, await store.GetLeafCountAsync());
        Assert.Equal(1, store.NodeCount);
    }

    [Fact]
    public async Task MillionLeaves_ProofsAndRootsCostLogarithmicReadsInOneBatch()
    {
        // Arrange
        const int n = 1_000_000;
        var store = new InMemoryMerkleNodeStore();
        var log = new MerkleLog(store);
        var leaves = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            leaves[i] = MerkleHash.Leaf(BitConverter.GetBytes(i));
        }

        for (var start = 0; start < n; start += 50_000)
        {
            await log.AppendAsync(start, [.. leaves.Skip(start).Take(50_000).Select(l => (ReadOnlyMemory<byte>)l)]);
        }

        Assert.True(store.NodeCount < 2L * n);
        var expectedRoot = MerkleTree.Root(leaves);
        var sizes = new long[] { n, n - 1, 524_288, 524_289, 999_983, 1, 2, 3 };
        var failures = new List<string>();

        // Act / Assert: every read is counted; no proof reads more than 2 * ceil(log2 n) nodes, all in one call
        // (none for the empty proofs of a one-leaf tree).
        store.ResetCounters();
        Assert.Equal(expectedRoot, await log.GetRootAsync(n));
        Assert.True(store.NodeReads <= 20, $"root read {store.NodeReads} nodes");

        foreach (var size in sizes)
        {
            var bound = 2 * (int)Math.Ceiling(Math.Log2(Math.Max(2, size)));
            var root = await log.GetRootAsync(size);
            foreach (var index in new[] { 0, size - 1, size / 2, size / 3, Math.Max(0, size - 2), 777 % size })
            {
                store.ResetCounters();
                var proof = await log.GetInclusionProofAsync(index, size);
                if (store.NodeReads > bound || store.ReadCalls > 1 || !MerkleProofs.VerifyInclusion(leaves[index], index, size, root, proof))
                {
                    failures.Add($"inclusion {index}/{size}: {store.NodeReads} reads in {store.ReadCalls} calls");
                }
            }

            foreach (var oldSize in new[] { 1, size / 2, size - 1, 65_536, 333_333 })
            {
                if (oldSize < 1 || oldSize >= size)
                {
                    continue;
                }

                var oldRoot = await log.GetRootAsync(oldSize);
                store.ResetCounters();
                var proof = await log.GetConsistencyProofAsync(oldSize, size);
                if (store.NodeReads > bound || store.ReadCalls > 1 || !MerkleProofs.VerifyConsistency(oldSize, size, oldRoot, root, proof))
                {
                    failures.Add($"consistency {oldSize}->{size}: {store.NodeReads} reads in {store.ReadCalls} calls");
                }
            }
        }

        // A new writer (say, after a restart) reads only the right edge once to append.
        var restarted = new MerkleLog(store);
        store.ResetCounters();
        await restarted.AppendAsync(n, MerkleHash.Leaf("one more"u8));
        Assert.True(store.NodeReads <= 20, $"append read {store.NodeReads} nodes");
        store.ResetCounters();
        await restarted.AppendAsync(n + 1, MerkleHash.Leaf("and another"u8));
        Assert.Equal(0, store.NodeReads);

        Assert.Empty(failures);
    }

    private static bool Same(List<byte[]> a, List<byte[]> b) => a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
