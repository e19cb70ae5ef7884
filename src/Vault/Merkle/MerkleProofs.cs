using System.Security.Cryptography;

namespace SecureDialogue.Vault.Merkle;

/// <summary>
/// Verification of RFC 9162 inclusion (section 2.1.3.2) and consistency (section 2.1.4.2) proofs, exactly as
/// specified, so proofs from other RFC 9162 logs verify here and ours verify there.
/// </summary>
public static class MerkleProofs
{
    /// <summary>Longest proof accepted: a tree of 2^63 leaves needs 63 hashes.</summary>
    public const int MaxProofLength = 64;

    /// <summary>True when <paramref name="proof"/> shows leaf <paramref name="index"/> of a tree of <paramref name="treeSize"/> leaves has root <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long treeSize, ReadOnlySpan<byte> root, IReadOnlyList<byte[]> proof)
    {
        if (index < 0 || index >= treeSize || proof.Count > MaxProofLength || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size)
        {
            return false;
        }

        long fn = index, sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (p.Length != MerkleHash.Size || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows the tree of <paramref name="oldSize"/> leaves with root
    /// <paramref name="oldRoot"/> is a prefix of the tree of <paramref name="newSize"/> leaves with root
    /// <paramref name="newRoot"/>. Equal sizes need an empty proof and equal roots. An old size of 0 needs an
    /// empty proof and the empty-tree root: every tree extends the empty tree, so nothing else is to prove.
    /// </summary>
    public static bool VerifyConsistency(
        long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || newSize < oldSize || proof.Count > MaxProofLength ||
            oldRoot.Length != MerkleHash.Size || newRoot.Length != MerkleHash.Size)
        {
            return false;
        }

        if (oldSize == 0)
        {
            // Equal sizes need equal roots here too: the empty tree has only the empty root.
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, MerkleHash.EmptyRoot()) &&
                   (newSize != 0 || CryptographicOperations.FixedTimeEquals(newRoot, oldRoot));
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = new List<byte[]>(proof.Count + 1);
        if ((oldSize & (oldSize - 1)) == 0)
        {
            path.Add(oldRoot.ToArray());
        }

        path.AddRange(proof);
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        if (path[0].Length != MerkleHash.Size)
        {
            return false;
        }

        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (c.Length != MerkleHash.Size || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 &&
               CryptographicOperations.FixedTimeEquals(fr, oldRoot) &&
               CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }
}
