namespace SecureDialogue.Vault.Archive;

/// <summary>
/// A complete subtree of an RFC 9162 tree: the node at <see cref="Level"/> (0 = leaves) and position
/// <see cref="Index"/> within that level, covering leaves <c>[Index * 2^Level, (Index + 1) * 2^Level)</c>.
/// Complete subtrees never change once written, which is what lets an append-only log serve every root and
/// proof from stored hashes.
/// </summary>
/// <param name="Level">Height above the leaves, 0 to 62.</param>
/// <param name="Index">Position within the level, from 0.</param>
public readonly record struct MerkleNodeId(int Level, long Index)
{
    /// <summary>First leaf covered.</summary>
    public long FirstLeaf => Index << Level;

    /// <summary>One past the last leaf covered.</summary>
    public long EndLeaf => (Index + 1) << Level;

    /// <inheritdoc />
    public override string ToString() => $"({Level}, {Index})";
}

/// <summary>A complete subtree hash to store.</summary>
/// <param name="Id">Which subtree.</param>
/// <param name="Hash">Its 32-byte RFC 9162 hash.</param>
public readonly record struct MerkleNode(MerkleNodeId Id, ReadOnlyMemory<byte> Hash);
