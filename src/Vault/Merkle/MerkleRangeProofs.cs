using System.Security.Cryptography;

namespace SecureDialogue.Vault.Merkle;

/// <summary>Why a range proof (docs/protocol.md 16.3) was refused.</summary>
public enum MerkleRangeError
{
    /// <summary>No error: the range recomputes to the root.</summary>
    None = 0,

    /// <summary>No leaves, a negative start, or a range that does not fit in the tree.</summary>
    InvalidRange,

    /// <summary>More leaves than <see cref="MerkleRangeProofs.MaxRangeLeaves"/>.</summary>
    TooManyLeaves,

    /// <summary>More hashes than <see cref="MerkleRangeProofs.MaxProofLength"/>.</summary>
    ProofTooLong,

    /// <summary>A leaf, node or root that is not 32 bytes.</summary>
    MalformedHash,

    /// <summary>The proof has fewer or more hashes than the range and tree size need.</summary>
    WrongProofLength,

    /// <summary>The recomputed root is not the expected one.</summary>
    RootMismatch,
}

/// <summary>
/// Range (subtree) proofs: the RFC 9162 subtree hashes that, with the leaf hashes of a contiguous run
/// <c>[start, end)</c>, recompute the root of a tree of <c>n</c> leaves (docs/protocol.md 16.3, RANGE). A run of one
/// leaf gives exactly its RFC 9162 inclusion proof; the whole tree gives an empty proof. One proof of at most
/// 2 log2 n hashes replaces one inclusion proof per leaf.
/// </summary>
public static class MerkleRangeProofs
{
    /// <summary>Longest proof accepted: at most two hashes per level of a tree of up to 2^63 leaves.</summary>
    public const int MaxProofLength = 128;

    /// <summary>Most leaves one proof covers (bounds the verifier's work; the API serves far fewer).</summary>
    public const int MaxRangeLeaves = 65536;

    /// <summary>
    /// The RFC 9162 root of a tree of <paramref name="treeSize"/> leaves recomputed from the leaf hashes of leaves
    /// <paramref name="start"/> .. <paramref name="start"/> + count - 1 and <paramref name="proof"/>, in the order RANGE
    /// produces; every proof hash must be used exactly once.
    /// </summary>
    public static Result<byte[], MerkleRangeError> Root(IReadOnlyList<byte[]> leafHashes, long start, long treeSize, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentNullException.ThrowIfNull(proof);
        if (leafHashes.Count == 0 || start < 0 || treeSize < 1 || start > treeSize - leafHashes.Count)
        {
            return MerkleRangeError.InvalidRange;
        }

        if (leafHashes.Count > MaxRangeLeaves)
        {
            return MerkleRangeError.TooManyLeaves;
        }

        if (proof.Count > MaxProofLength)
        {
            return MerkleRangeError.ProofTooLong;
        }

        if (leafHashes.Any(h => h is not { Length: MerkleHash.Size }) || proof.Any(h => h is not { Length: MerkleHash.Size }))
        {
            return MerkleRangeError.MalformedHash;
        }

        var fold = new Fold(leafHashes, start, start + leafHashes.Count, proof);
        var root = fold.Hash(0, treeSize);
        return root is null || fold.Used != proof.Count ? MerkleRangeError.WrongProofLength : root;
    }

    /// <summary>
    /// Verifies a range proof against a signed root: <see cref="MerkleRangeError.None"/> when the leaves and the proof
    /// recompute <paramref name="root"/> (compared in constant time), else why not.
    /// </summary>
    public static MerkleRangeError Verify(IReadOnlyList<byte[]> leafHashes, long start, long treeSize, ReadOnlySpan<byte> root, IReadOnlyList<byte[]> proof)
    {
        if (root.Length != MerkleHash.Size)
        {
            return MerkleRangeError.MalformedHash;
        }

        var computed = Root(leafHashes, start, treeSize, proof);
        if (!computed.TryGetValue(out var value, out var error))
        {
            return error;
        }

        return CryptographicOperations.FixedTimeEquals(value, root) ? MerkleRangeError.None : MerkleRangeError.RootMismatch;
    }

    // RANGE(a, b, D[lo:hi]) folded back: the subtree hash from the leaves it covers and the proof hashes it consumes in
    // order; null when the proof runs out.
    private sealed class Fold(IReadOnlyList<byte[]> leaves, long a, long b, IReadOnlyList<byte[]> proof)
    {
        public int Used { get; private set; }

        public byte[]? Hash(long lo, long hi)
        {
            if (a <= lo && hi <= b)
            {
                return Covered(lo, hi);
            }

            var mid = lo + MerkleHash.SplitPoint(hi - lo);
            if (b <= mid)
            {
                var left = Hash(lo, mid);
                return left is null || Used == proof.Count ? null : MerkleHash.Node(left, proof[Used++]);
            }

            if (a >= mid)
            {
                var right = Hash(mid, hi);
                return right is null || Used == proof.Count ? null : MerkleHash.Node(proof[Used++], right);
            }

            var l = Hash(lo, mid);
            var r = l is null ? null : Hash(mid, hi);
            return r is null ? null : MerkleHash.Node(l!, r);
        }

        // MTH(D[lo:hi]) of a subtree made only of the run's leaves.
        private byte[] Covered(long lo, long hi)
        {
            if (hi - lo == 1)
            {
                return leaves[(int)(lo - a)];
            }

            var mid = lo + MerkleHash.SplitPoint(hi - lo);
            return MerkleHash.Node(Covered(lo, mid), Covered(mid, hi));
        }
    }
}
