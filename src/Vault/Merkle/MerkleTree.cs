namespace SecureDialogue.Vault.Merkle;

/// <summary>
/// RFC 9162 Merkle tree head, inclusion proofs (PATH) and consistency proofs (PROOF/SUBPROOF) over a list of
/// leaf hashes held in memory. Used for segment commitments; the archive computes the same functions from
/// stored subtree hashes.
/// </summary>
public static class MerkleTree
{
    /// <summary>MTH over the given leaf hashes.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) => Root(leafHashes, 0, leafHashes.Count);

    /// <summary>
    /// MTH over leaf hashes stored back to back (<see cref="MerkleHash.Size"/> bytes each) into
    /// <paramref name="destination"/>, without allocating.
    /// </summary>
    public static void Root(ReadOnlySpan<byte> leafHashes, Span<byte> destination)
    {
        if (leafHashes.Length % MerkleHash.Size != 0)
        {
            throw new ArgumentException("Leaf hashes are 32 bytes each.", nameof(leafHashes));
        }

        var n = leafHashes.Length / MerkleHash.Size;
        if (n == 0)
        {
            MerkleHash.EmptyRoot(destination);
            return;
        }

        if (n == 1)
        {
            leafHashes.CopyTo(destination);
            return;
        }

        var split = (int)MerkleHash.SplitPoint(n) * MerkleHash.Size;
        Span<byte> children = stackalloc byte[2 * MerkleHash.Size];
        Root(leafHashes[..split], children[..MerkleHash.Size]);
        Root(leafHashes[split..], children[MerkleHash.Size..]);
        MerkleHash.Node(children[..MerkleHash.Size], children[MerkleHash.Size..], destination);
    }

    /// <summary>The audit path for leaf <paramref name="index"/> in the tree of all <paramref name="leafHashes"/>.</summary>
    public static List<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Count);
        var proof = new List<byte[]>();
        Path(leafHashes, index, 0, leafHashes.Count, proof);
        return proof;
    }

    /// <summary>The consistency proof from the first <paramref name="oldSize"/> leaves to all of them.</summary>
    public static List<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, int oldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, leafHashes.Count);
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < leafHashes.Count)
        {
            SubProof(leafHashes, oldSize, 0, leafHashes.Count, true, proof);
        }

        return proof;
    }

    /// <summary>
    /// The range proof (docs/protocol.md 16.3, RANGE) of leaves <paramref name="start"/> .. <paramref name="end"/> - 1 in
    /// the tree of all <paramref name="leafHashes"/>: the reference the archive's stored-node version is tested against.
    /// </summary>
    public static List<byte[]> RangeProof(IReadOnlyList<byte[]> leafHashes, int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, leafHashes.Count);
        var proof = new List<byte[]>();
        Range(leaves: leafHashes, a: start, b: end, lo: 0, hi: leafHashes.Count, proof);
        return proof;
    }

    private static void Range(IReadOnlyList<byte[]> leaves, int a, int b, int lo, int hi, List<byte[]> proof)
    {
        if (a <= lo && hi <= b)
        {
            return;
        }

        var mid = lo + (int)MerkleHash.SplitPoint(hi - lo);
        if (b <= mid)
        {
            Range(leaves, a, b, lo, mid, proof);
            proof.Add(Root(leaves, mid, hi));
        }
        else if (a >= mid)
        {
            Range(leaves, a, b, mid, hi, proof);
            proof.Add(Root(leaves, lo, mid));
        }
        else
        {
            Range(leaves, a, b, lo, mid, proof);
            Range(leaves, a, b, mid, hi, proof);
        }
    }

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        var n = end - start;
        if (n == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        if (n == 1)
        {
            return leaves[start];
        }

        var k = (int)MerkleHash.SplitPoint(n);
        return MerkleHash.Node(Root(leaves, start, start + k), Root(leaves, start + k, end));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int m, int start, int end, List<byte[]> proof)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }

        var k = (int)MerkleHash.SplitPoint(n);
        if (m < k)
        {
            Path(leaves, m, start, start + k, proof);
            proof.Add(Root(leaves, start + k, end));
        }
        else
        {
            Path(leaves, m - k, start + k, end, proof);
            proof.Add(Root(leaves, start, start + k));
        }
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int m, int start, int end, bool complete, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(Root(leaves, start, end));
            }

            return;
        }

        var k = (int)MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(leaves, m, start, start + k, complete, proof);
            proof.Add(Root(leaves, start + k, end));
        }
        else
        {
            SubProof(leaves, m - k, start + k, end, false, proof);
            proof.Add(Root(leaves, start, start + k));
        }
    }
}
