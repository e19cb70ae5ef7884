using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Where the sealer reads a review's archive from (implemented over the server's log; <see cref="InMemoryArchiveSource"/>
/// for tests). Three calls, all for one consistent tree size chosen by <see cref="GetSnapshotAsync"/>:
/// <list type="number">
/// <item><see cref="GetSnapshotAsync"/>: the tree size <c>n</c> to seal and everything that precedes the entries in a
/// bundle (log keys, device cards, certificates, checkpoints), or null for an unknown review.</item>
/// <item><see cref="ReadEntriesAsync"/>: entries <c>0..n-1</c> in index order, streamed (never all in memory).</item>
/// <item><see cref="OpenAttachmentAsync"/>: for each digest-form <c>AttachmentCiphertext</c> entry when ciphertexts are
/// sealed, the stored blob.</item>
/// <item><see cref="OpenEnvelopeAsync"/>: for each <c>Envelope</c> entry whose payload is the envelope's summary, the envelope.</item>
/// </list>
/// The sealer checks everything it is given (the tree against every checkpoint, attachments against their digests,
/// the finished bundle with <see cref="Vault.Archive.Bundles.BundleVerifier"/>) and refuses to store an inconsistent bundle.
/// </summary>
internal interface IArchiveSource
{
    /// <summary>The snapshot to seal: see <see cref="ArchiveSnapshot"/> for what each part must hold.</summary>
    Task<ArchiveSnapshot?> GetSnapshotAsync(Guid review, CancellationToken cancellationToken = default);

    /// <summary>Entries 0 to <paramref name="treeSize"/> - 1 of the review's log, in index order.</summary>
    IAsyncEnumerable<ArchiveEntry> ReadEntriesAsync(Guid review, long treeSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ciphertext of a digest-form <see cref="ArchiveEntryKind.AttachmentCiphertext"/> entry: its blob id (the BLAKE2b-256
    /// ciphertext hash, the blob store's id) and a stream of exactly its bytes (the caller disposes it); null when the blob
    /// is not kept (the sealer then fails; seal with digests only instead).
    /// </summary>
    Task<ArchiveAttachmentContent?> OpenAttachmentAsync(Guid review, ArchiveEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// The envelope kept beside the log for an <see cref="ArchiveEntryKind.Envelope"/> entry whose payload is its summary
    /// (docs/protocol.md 16.2.1), asked for right after <see cref="ReadEntriesAsync"/> gave the entry; null when it is not
    /// kept (the sealer then fails: a bundle carries every envelope, section 17.1).
    /// </summary>
    Task<byte[]?> OpenEnvelopeAsync(Guid review, ArchiveEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a bundle holds besides its entries, at one tree size.
/// </summary>
/// <param name="TreeSize">Number of entries to seal (<c>n</c>); the log's size when the snapshot was taken.</param>
/// <param name="LogKeys">
/// Every log key that signed a checkpoint here, with its range of tree sizes; exactly one open (the current key, the
/// server's <see cref="CheckpointSigner"/>, which also signs the seal).
/// </param>
/// <param name="Checkpoints">
/// Signed checkpoints in non-decreasing order of size, none larger than <c>n</c>, the last exactly of size <c>n</c> (sign one
/// first if needed), with the cosignature lines the log holds; and including every checkpoint that a
/// <see cref="ArchiveEntryKind.Cosignature"/> entry below <c>n</c> cosigns (its payload is that checkpoint). The more
/// checkpoints, the more precisely a verifier names a changed entry (with one per entry, exactly).
/// </param>
/// <param name="DeviceCards">The card of every device listed in an epoch record below <c>n</c> (and of every cosigner), each once.</param>
/// <param name="Certificates">Reserved certificate records (docs/protocol.md 17.1); always empty: the trust statements are archived entries.</param>
internal sealed record ArchiveSnapshot(
    long TreeSize,
    IReadOnlyList<ArchiveLogKey> LogKeys,
    IReadOnlyList<SignedCheckpoint> Checkpoints,
    IReadOnlyList<DevicePublicKeys> DeviceCards,
    IReadOnlyList<ReadOnlyMemory<byte>> Certificates);

/// <summary>An attachment's stored ciphertext for the sealer.</summary>
/// <param name="BlobId">BLAKE2b-256 ciphertext hash, 32 bytes.</param>
/// <param name="Ciphertext">Exactly the ciphertext's bytes.</param>
internal sealed record ArchiveAttachmentContent(byte[] BlobId, Stream Ciphertext);
