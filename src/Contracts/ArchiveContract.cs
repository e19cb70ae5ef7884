namespace SecureDialogue.Contracts;

// The archive log's HTTP API (docs/server.md "Archive", docs/protocol.md section 16). Binary values are base64.

/// <summary>A log key as clients trust it: the signed-note verifier key and its range of tree sizes (inclusive; last null while current).</summary>
public sealed record ArchiveKeyInfo(string VerifierKey, long FirstTreeSize, long? LastTreeSize);

/// <summary>The log keys, retired ones first, the current one last.</summary>
public sealed record ArchiveKeys(IReadOnlyList<ArchiveKeyInfo> Keys);

/// <summary>A signed checkpoint, as its exact C2SP signed-note text (docs/protocol.md 16.4).</summary>
public sealed record ArchiveCheckpoint(string Checkpoint);

/// <summary>
/// An entry of the log. <paramref name="Entry"/> is its canonical encoding (docs/protocol.md 16.2) when the caller may
/// see it; for an envelope or epoch record of a channel the caller does not read it is null, and only
/// <paramref name="LeafHash"/> is given, so the caller can still recompute the tree.
/// </summary>
public sealed record ArchiveEntryItem(long Index, int Kind, byte[]? Entry, byte[] LeafHash);

/// <summary>Entries in index order; <paramref name="Next"/> is the next start, null at the log's end; <paramref name="Size"/> the log's size.</summary>
public sealed record ArchiveEntryPage(IReadOnlyList<ArchiveEntryItem> Items, long? Next, long Size);

/// <summary>An RFC 9162 inclusion proof of the leaf at <paramref name="Index"/>.</summary>
public sealed record ArchiveInclusionProof(long Index, byte[] LeafHash, IReadOnlyList<byte[]> Proof);

/// <summary>Inclusion proofs in the tree of <paramref name="TreeSize"/> entries.</summary>
public sealed record ArchiveInclusionProofs(long TreeSize, IReadOnlyList<ArchiveInclusionProof> Proofs);

/// <summary>
/// A range proof (docs/protocol.md 16.3) of entries <paramref name="Start"/> .. <paramref name="End"/> - 1 in the tree of
/// <paramref name="TreeSize"/> entries: the subtree hashes that, with those entries' leaf hashes, recompute its root.
/// </summary>
public sealed record ArchiveRangeProof(long TreeSize, long Start, long End, IReadOnlyList<byte[]> Proof);

/// <summary>An RFC 9162 consistency proof from the tree of <paramref name="From"/> entries to that of <paramref name="To"/>.</summary>
public sealed record ArchiveConsistencyProof(long From, long To, IReadOnlyList<byte[]> Proof);

/// <summary>A checkpoint the log signed with the caller's device cosignature line added (docs/protocol.md 16.5).</summary>
public sealed record CosignCheckpoint(string Checkpoint);

/// <summary>The cosignature was verified and archived as the Cosignature entry at <paramref name="Index"/>.</summary>
public sealed record CosignatureAccepted(long Index, long TreeSize, string DeviceId);

/// <summary>Seal request: <paramref name="Attachments"/> is <c>ciphertexts</c> (default: each attachment's ciphertext in the bundle) or <c>digests</c>.</summary>
public sealed record SealArchive(string? Attachments = null);

/// <summary>
/// The receipt of a sealed bundle (docs/server.md "Sealing"): its name (download it from <c>archive/bundles/{name}</c>),
/// where it is stored (backend, key, S3 version, retain-until), the SHA-256 (lower-case hex) and size of the file, the
/// tree it seals (size, RFC 9162 root), the SHA-256 the log key signed (seal digest), the attachment mode and when.
/// </summary>
public sealed record SealedBundleInfo(
    string Name, string Backend, string Key, string? VersionId, string Sha256, long Size, DateTimeOffset? RetainUntil,
    long TreeSize, byte[] Root, byte[] SealDigest, string Attachments, DateTimeOffset SealedAt);

/// <summary>The review's sealed bundles, oldest first.</summary>
public sealed record SealedBundleList(IReadOnlyList<SealedBundleInfo> Bundles);
