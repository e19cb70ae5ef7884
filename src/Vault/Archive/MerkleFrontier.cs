using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// The right edge of an RFC 9162 tree being built leaf by leaf (a "compact range" from 0): one complete
/// subtree hash per set bit of the size, so O(log n) memory for any number of leaves. Gives the root at every
/// size; used to append to a <see cref="MerkleLog"/> and to recompute a whole log's root from its entries
/// (bundles, audits) without holding the leaves.
/// </summary>
public sealed class MerkleFrontier
{
    // Complete subtrees left to right, levels strictly decreasing: the binary decomposition of Size.
    private readonly List<(int Level, byte[] Hash)> _nodes = [];

    /// <summary>Number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>Appends one leaf hash (32 bytes).</summary>
    public void Append(ReadOnlySpan<byte> leafHash) => Append(leafHash, null);

    /// <summary>The RFC 9162 root of the leaves so far; <c>SHA-256("")</c> when there are none.</summary>
    public byte[] Root()
    {
        if (_nodes.Count == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var root = _nodes[^1].Hash;
        for (var i = _nodes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_nodes[i].Hash, root);
        }

        return root;
    }

    /// <summary>The node ids of the decomposition of <c>[0, size)</c>, largest first.</summary>
    internal static List<MerkleNodeId> Decomposition(long size)
    {
        var ids = new List<MerkleNodeId>();
        MerkleLog.AddRange(0, size, ids);
        return ids;
    }

    /// <summary>A frontier at <paramref name="size"/> from the hashes of <see cref="Decomposition"/>.</summary>
    internal static MerkleFrontier FromNodes(long size, IReadOnlyList<MerkleNodeId> ids, ReadOnlySpan<byte> hashes)
    {
        var frontier = new MerkleFrontier { Size = size };
        for (var i = 0; i < ids.Count; i++)
        {
            frontier._nodes.Add((ids[i].Level, hashes.Slice(i * MerkleHash.Size, MerkleHash.Size).ToArray()));
        }

        return frontier;
    }

    /// <summary>Appends a leaf, reporting the leaf node and every subtree it completes.</summary>
    internal void Append(ReadOnlySpan<byte> leafHash, List<MerkleNode>? completed)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        }

        var index = Size;
        var hash = leafHash.ToArray();
        completed?.Add(new MerkleNode(new MerkleNodeId(0, index), hash));
        _nodes.Add((0, hash));
        while (_nodes.Count >= 2 && _nodes[^1].Level == _nodes[^2].Level)
        {
            var right = _nodes[^1];
            var left = _nodes[^2];
            _nodes.RemoveRange(_nodes.Count - 2, 2);
            var level = left.Level + 1;
            var parent = MerkleHash.Node(left.Hash, right.Hash);
            _nodes.Add((level, parent));
            completed?.Add(new MerkleNode(new MerkleNodeId(level, ((index + 1) >> level) - 1), parent));
        }

        Size = index + 1;
    }
}
