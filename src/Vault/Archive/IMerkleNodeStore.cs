namespace SecureDialogue.Vault.Archive;

/// <summary>
/// Storage of one append-only log's complete subtree hashes by (level, index), and of its leaf count. The
/// server implements it over its database (one row per node, written in the same transaction as the entry);
/// <see cref="InMemoryMerkleNodeStore"/> is the reference. <see cref="MerkleLog"/> only ever asks for nodes
/// that exist and only ever appends, so an implementation never updates or deletes a row.
/// </summary>
public interface IMerkleNodeStore
{
    /// <summary>The number of leaves committed so far.</summary>
    ValueTask<long> GetLeafCountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the hashes of <paramref name="ids"/> into <paramref name="destination"/>, 32 bytes each in the
    /// order given (one round trip for a whole proof). Every id is a complete subtree of the committed leaves;
    /// a missing node is a broken store and throws <see cref="InvalidOperationException"/>.
    /// </summary>
    ValueTask ReadNodesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically writes <paramref name="nodes"/> (new leaves and the subtrees they complete, each level in
    /// increasing index order) and sets the leaf count to <paramref name="newLeafCount"/>, provided the count is
    /// still <paramref name="expectedLeafCount"/>; otherwise throws <see cref="MerkleStoreConflictException"/>
    /// and writes nothing. Existing nodes are never overwritten.
    /// </summary>
    ValueTask AppendAsync(long expectedLeafCount, IReadOnlyList<MerkleNode> nodes, long newLeafCount, CancellationToken cancellationToken = default);
}

/// <summary>Another writer appended first, or the caller's index was not the log's size.</summary>
public sealed class MerkleStoreConflictException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MerkleStoreConflictException()
        : base("The log's size is not the expected one: another append happened first.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MerkleStoreConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public MerkleStoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
