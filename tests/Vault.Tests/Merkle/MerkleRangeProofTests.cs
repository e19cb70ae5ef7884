using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Tests.Merkle;

/// <summary>
/// Range proofs (docs/protocol.md 16.3): for every range of every tree of 1 to 70 leaves the stored-node proof equals
/// the in-memory reference, folds back to the root with the range's leaves, is an inclusion proof for one leaf and
/// empty for the whole tree; any changed node, leaf, size, order or length fails; large random trees and the bounds.
/// </summary>
public sealed class MerkleRangeProofTests
{
    private const int ExhaustiveSize = 70;

    private static readonly byte[][] s_leaves = [.. Enumerable.Range(0, 4096).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i)))];

    [Fact]
    public async Task EveryRange_TreesOf1To70_EqualsReferenceAndRecomputesTheRoot()
    {
        var log = await LogOfAsync(ExhaustiveSize);
        var failures = new List<string>();

        for (var size = 1; size <= ExhaustiveSize; size++)
        {
            var tree = s_leaves[..size];
            var root = MerkleTree.Root(tree);
            var maxLength = 2 * (int)Math.Ceiling(Math.Log2(size));
            for (var start = 0; start < size; start++)
            {
                for (var end = start + 1; end <= size; end++)
                {
                    var proof = await log.GetRangeProofAsync(start, end, size);
                    var leaves = tree[start..end];
                    if (!Same(proof, MerkleTree.RangeProof(tree, start, end)) ||
                        MerkleRangeProofs.Verify(leaves, start, size, root, proof) != MerkleRangeError.None ||
                        proof.Count > maxLength ||
                        (end - start == 1 && !Same(proof, MerkleTree.InclusionProof(tree, start))) ||
                        (start == 0 && end == size && proof.Count != 0))
                    {
                        failures.Add($"[{start}, {end}) of {size}");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Tampering_AnyNodeLeafSizeOrderOrLength_Fails()
    {
        var log = await LogOfAsync(24);
        var failures = new List<string>();
        for (var size = 1; size <= 24; size++)
        {
            var tree = s_leaves[..size];
            var root = MerkleTree.Root(tree);
            for (var start = 0; start < size; start++)
            {
                for (var end = start + 1; end <= size; end++)
                {
                    var proof = await log.GetRangeProofAsync(start, end, size);
                    var leaves = tree[start..end];
                    var name = $"[{start}, {end}) of {size}";
                    for (var i = 0; i < proof.Count; i++)
                    {
                        Expect(MerkleRangeError.RootMismatch, MerkleRangeProofs.Verify(leaves, start, size, root, Replace(proof, i, Flip(proof[i]))), $"node {i} of {name}");
                    }

                    for (var i = 0; i < leaves.Length; i++)
                    {
                        Expect(MerkleRangeError.RootMismatch, MerkleRangeProofs.Verify(Replace(leaves, i, Flip(leaves[i])), start, size, root, proof), $"leaf {i} of {name}");
                    }

                    if (leaves.Length > 1)
                    {
                        Expect(MerkleRangeError.RootMismatch, MerkleRangeProofs.Verify([.. leaves.Reverse()], start, size, root, proof), $"leaves reversed, {name}");
                    }

                    if (proof.Count > 1)
                    {
                        Expect(MerkleRangeError.RootMismatch, MerkleRangeProofs.Verify(leaves, start, size, root, [.. proof.AsEnumerable().Reverse()]), $"proof reversed, {name}");
                        Expect(MerkleRangeError.WrongProofLength, MerkleRangeProofs.Verify(leaves, start, size, root, proof[..^1]), $"proof short, {name}");
                    }

                    Expect(MerkleRangeError.WrongProofLength, MerkleRangeProofs.Verify(leaves, start, size, root, [.. proof, root]), $"proof long, {name}");
                    // As with RFC 9162 inclusion proofs, the size is bound by the checkpoint that signs it with its root:
                    // the proof must not verify against the root of another size.
                    NotNone(MerkleRangeProofs.Verify(leaves, start, size + 1, MerkleTree.Root(s_leaves[..(size + 1)]), proof), $"size + 1, {name}");
                    if (size > 1)
                    {
                        NotNone(MerkleRangeProofs.Verify(leaves, start, size - 1, MerkleTree.Root(s_leaves[..(size - 1)]), proof), $"size - 1, {name}");
                    }
                    if (start > 0)
                    {
                        NotNone(MerkleRangeProofs.Verify(leaves, start - 1, size, root, proof), $"start - 1, {name}");
                    }

                    if (end < size)
                    {
                        NotNone(MerkleRangeProofs.Verify(leaves, start + 1, size, root, proof), $"start + 1, {name}");
                    }
                }
            }
        }

        Assert.Empty(failures);

        void Expect(MerkleRangeError expected, MerkleRangeError actual, string what)
        {
            if (actual != expected)
            {
                failures.Add($"{what}: {actual}");
            }
        }

        void NotNone(MerkleRangeError actual, string what)
        {
            if (actual == MerkleRangeError.None)
            {
                failures.Add($"{what}: accepted");
            }
        }
    }

    [Fact]
    public async Task RandomRanges_LargeTrees_RecomputeTheRootFromLogNHashes()
    {
        var random = new Random(20261207);
        const int largest = 4096;
        var log = await LogOfAsync(largest);
        for (var trial = 0; trial < 200; trial++)
        {
            var size = random.Next(71, largest + 1);
            var start = random.Next(size);
            var end = random.Next(start + 1, Math.Min(size, start + 600) + 1);
            var proof = await log.GetRangeProofAsync(start, end, size);

            Assert.True(proof.Count <= 2 * 12, $"{proof.Count} hashes for [{start}, {end}) of {size}");
            Assert.Equal(MerkleRangeError.None, MerkleRangeProofs.Verify(s_leaves[start..end], start, size, await log.GetRootAsync(size), proof));
        }
    }

    [Fact]
    public void Bounds_AreTypedErrors()
    {
        var tree = s_leaves[..8];
        var root = MerkleTree.Root(tree);

        Assert.Equal(MerkleRangeError.InvalidRange, MerkleRangeProofs.Verify([], 0, 8, root, []));
        Assert.Equal(MerkleRangeError.InvalidRange, MerkleRangeProofs.Verify(tree[..2], -1, 8, root, []));
        Assert.Equal(MerkleRangeError.InvalidRange, MerkleRangeProofs.Verify(tree[..2], 7, 8, root, []));
        Assert.Equal(MerkleRangeError.InvalidRange, MerkleRangeProofs.Verify(tree[..1], 0, 0, root, []));
        Assert.Equal(MerkleRangeError.ProofTooLong, MerkleRangeProofs.Verify(tree[..1], 0, 8, root, [.. Enumerable.Repeat(root, MerkleRangeProofs.MaxProofLength + 1)]));
        Assert.Equal(MerkleRangeError.TooManyLeaves, MerkleRangeProofs.Verify([.. Enumerable.Repeat(root, MerkleRangeProofs.MaxRangeLeaves + 1)], 0, long.MaxValue, root, []));
        Assert.Equal(MerkleRangeError.MalformedHash, MerkleRangeProofs.Verify([new byte[31], tree[1]], 0, 8, root, MerkleTree.RangeProof(tree, 0, 2)));
        Assert.Equal(MerkleRangeError.MalformedHash, MerkleRangeProofs.Verify(tree[..2], 0, 8, root, [new byte[33], .. MerkleTree.RangeProof(tree, 0, 2)[1..]]));
        Assert.Equal(MerkleRangeError.MalformedHash, MerkleRangeProofs.Verify(tree[..2], 0, 8, root.AsSpan(0, 31), MerkleTree.RangeProof(tree, 0, 2)));
        Assert.Equal(MerkleRangeError.None, MerkleRangeProofs.Verify(tree, 0, 8, root, []));
    }

    private static async Task<MerkleLog> LogOfAsync(int size)
    {
        var log = new MerkleLog(new InMemoryMerkleNodeStore());
        await log.AppendAsync(0, [.. s_leaves[..size].Select(l => (ReadOnlyMemory<byte>)l)]);
        return log;
    }

    private static byte[] Flip(byte[] hash)
    {
        var copy = (byte[])hash.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }

    private static byte[][] Replace(IReadOnlyList<byte[]> list, int index, byte[] value)
    {
        var copy = list.ToArray();
        copy[index] = value;
        return copy;
    }

    private static bool Same(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
