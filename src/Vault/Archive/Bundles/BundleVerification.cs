using System.Globalization;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>Why a bundle failed verification (section 17.7). The first failure in file order is reported.</summary>
public enum BundleFailureReason
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The stream ended before the bundle did (inside a record, or before the seal).</summary>
    Truncated,

    /// <summary>Bytes follow the seal.</summary>
    TrailingData,

    /// <summary>Wrong magic, an undefined record type, a length above its limit, or a record out of its place.</summary>
    Malformed,

    /// <summary>A format version this verifier does not know.</summary>
    UnsupportedVersion,

    /// <summary>The header names a log key the caller does not trust.</summary>
    ForeignLogKey,

    /// <summary>A device card is malformed, its self-signature fails, or it is listed twice.</summary>
    DeviceCardInvalid,

    /// <summary>A checkpoint does not parse, is for another origin, or its signatures fail (log key, timestamp, cosignatures).</summary>
    CheckpointInvalid,

    /// <summary>Checkpoints are not in order of size, one is larger than the bundle's tree, or none is of the tree size.</summary>
    CheckpointOrder,

    /// <summary>An entry does not decode, or is not the next leaf of this review's log.</summary>
    EntryMalformed,

    /// <summary>An envelope entry does not decode or is for another review.</summary>
    EnvelopeMalformed,

    /// <summary>An envelope's channel or epoch has no epoch record before it, or its sender is not a member of that epoch.</summary>
    EnvelopeSenderNotMember,

    /// <summary>An envelope's signature does not verify with its sender's device card.</summary>
    EnvelopeSignature,

    /// <summary>An epoch record entry does not decode, is for another review, or lists a device without a card in the bundle.</summary>
    EpochRecordMalformed,

    /// <summary>An epoch record does not extend its channel's chain (epoch, previous hash, author's authority).</summary>
    EpochChainBroken,

    /// <summary>An epoch record's signature does not verify with its author's card.</summary>
    EpochRecordSignature,

    /// <summary>An attachment record is missing, extra, or its ciphertext does not match the entry's digest and length or its blob id.</summary>
    AttachmentMismatch,

    /// <summary>A cosignature entry does not verify, or its tree head is not one of the bundle's checkpoints.</summary>
    CosignatureInvalid,

    /// <summary>A log key change entry does not announce a key of the header starting at the next tree size.</summary>
    LogKeyChangeInvalid,

    /// <summary>The entries do not recompute to a checkpoint's signed root.</summary>
    RootMismatch,

    /// <summary>The seal's digest is not the digest of the bundle, or its signature by the current log key fails.</summary>
    SealInvalid,

    /// <summary>A limit was exceeded (for example more member ids than the verifier tracks).</summary>
    LimitExceeded,

    /// <summary>
    /// A trust statement entry does not decode, is for another review, names a subject card not in the bundle, breaks its
    /// certifier's numbering, or is signed by a device with no earlier root statement for its State.
    /// </summary>
    TrustStatementInvalid,

    /// <summary>A trust statement's signature does not verify with its certifier's card, or that card is not in the bundle.</summary>
    TrustStatementSignature,

    /// <summary>
    /// A correction or retraction entry whose payload is an amendment statement (docs/protocol.md 21) does not decode, does
    /// not match its kind or review, is not signed by its author's card in the bundle, or names envelopes that are not that
    /// device's earlier Envelope entries (the target at the entry's target index).
    /// </summary>
    AmendmentInvalid,

    /// <summary>
    /// The envelope record after a summary-form <c>Envelope</c> entry is missing, does not decode, or is not the envelope
    /// the entry's summary describes (section 17.5).
    /// </summary>
    EnvelopeMismatch,
}

/// <summary>
/// The first thing wrong with a bundle: why, where (offset of the record's frame), and which entry when the problem is
/// in an entry (for <see cref="BundleFailureReason.RootMismatch"/>: the first entry after the last checkpoint that
/// matched, with <see cref="LastEntryIndex"/> the last entry the failing checkpoint covers).
/// </summary>
/// <param name="Reason">The reason.</param>
/// <param name="Offset">Byte offset of the failing record's frame.</param>
/// <param name="EntryIndex">The entry (leaf index), when the failure is in an entry.</param>
/// <param name="Detail">One sentence for a person.</param>
public sealed record BundleFailure(BundleFailureReason Reason, long Offset, long? EntryIndex, string Detail)
{
    /// <summary>For a root mismatch: the last entry the failing checkpoint covers (one of EntryIndex..LastEntryIndex was changed).</summary>
    public long? LastEntryIndex { get; init; }

    /// <inheritdoc />
    public override string ToString() => EntryIndex is { } index
        ? string.Create(CultureInfo.InvariantCulture, $"entry {index}: {Detail}")
        : Detail;
}

/// <summary>What a valid bundle holds (counts and the verified tree head).</summary>
public sealed record BundleSummary
{
    /// <summary>The review.</summary>
    public required Guid Review { get; init; }

    /// <summary>The log's origin.</summary>
    public required string Origin { get; init; }

    /// <summary>When the bundle was written.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Number of entries.</summary>
    public required long TreeSize { get; init; }

    /// <summary>The RFC 9162 root of all entries, equal to the signed root of the last checkpoint.</summary>
    public required byte[] Root { get; init; }

    /// <summary>The log keys (signed-note verifier keys) the checkpoints and seal verified with.</summary>
    public required IReadOnlyList<string> LogKeys { get; init; }

    /// <summary>Whether attachments' ciphertexts are inside.</summary>
    public required BundleAttachmentMode AttachmentMode { get; init; }

    /// <summary>Entries by kind.</summary>
    public required IReadOnlyDictionary<ArchiveEntryKind, long> EntriesByKind { get; init; }

    /// <summary>Number of checkpoints (every one verified and recomputed).</summary>
    public required int Checkpoints { get; init; }

    /// <summary>Valid cosignature lines on the checkpoints and in cosignature entries.</summary>
    public required int Cosignatures { get; init; }

    /// <summary>Distinct devices that cosigned.</summary>
    public required int Cosigners { get; init; }

    /// <summary>Device cards (each self-signature verified).</summary>
    public required int DeviceCards { get; init; }

    /// <summary>Reserved certificate records (none in bundles SecureDialogue writes; trust statements are entries).</summary>
    public required int Certificates { get; init; }

    /// <summary>The review's trust statements (archived MembershipChange entries), each verified, in log order: who certified whom.</summary>
    public required IReadOnlyList<BundleTrustStatement> TrustStatements { get; init; }

    /// <summary>Envelope signatures verified.</summary>
    public required long EnvelopeSignatures { get; init; }

    /// <summary>Epoch record signatures verified.</summary>
    public required long EpochRecordSignatures { get; init; }

    /// <summary>Attachment ciphertexts inside and checked against their entries.</summary>
    public required long AttachmentCiphertexts { get; init; }

    /// <summary>Envelopes carried beside summary-form <c>Envelope</c> entries and checked against their summaries.</summary>
    public long EnvelopesBeside { get; init; }

    /// <summary>SHA-256 of everything before the seal (what the seal signs).</summary>
    public required byte[] SealDigest { get; init; }

    /// <summary>Size of the bundle in bytes.</summary>
    public required long Size { get; init; }
}

/// <summary>A trust statement archived in the bundle's log, verified (section 17.5).</summary>
/// <param name="EntryIndex">The MembershipChange entry holding it.</param>
/// <param name="Statement">The decoded statement.</param>
public sealed record BundleTrustStatement(long EntryIndex, TrustStatement Statement);

/// <summary>The outcome of <see cref="BundleVerifier.VerifyAsync"/>: valid with a summary, or the first failure.</summary>
public sealed record BundleVerification
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Failure is null;

    /// <summary>The first failure; null when valid.</summary>
    public BundleFailure? Failure { get; init; }

    /// <summary>The summary; null when invalid.</summary>
    public BundleSummary? Summary { get; init; }

    /// <summary>The header, when it decoded.</summary>
    public BundleHeader? Header { get; init; }
}

/// <summary>Options of <see cref="BundleVerifier"/>.</summary>
public sealed record BundleVerifierOptions
{
    /// <summary>
    /// The log keys the caller trusts (for example the published archive key); when set, a bundle whose header
    /// names any other key fails with <see cref="BundleFailureReason.ForeignLogKey"/>. When null, the header's keys
    /// are used and the caller must compare them (the summary lists them).
    /// </summary>
    public IReadOnlyList<ArchiveLogKey>? TrustedLogKeys { get; init; }
}
