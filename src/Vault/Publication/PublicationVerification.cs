using System.Globalization;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Publication;

/// <summary>What a publication failed to prove (docs/protocol.md, section 18.5). Stable names: the CLI prints them.</summary>
public enum PublicationFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The record is larger than <see cref="PublicationRecord.MaxEncodedSize"/>.</summary>
    TooLarge,

    /// <summary>The record does not decode: truncated, trailing bytes, a field out of range, a non-canonical order.</summary>
    Malformed,

    /// <summary>A record or header version or suite other than 1.</summary>
    UnsupportedVersion,

    /// <summary>The author's card does not decode or verify, or it is not the device the header names as sender.</summary>
    AuthorCardInvalid,

    /// <summary>The author's signature over the header and ciphertext hash does not verify: the header (or hash) was altered, or another key signed.</summary>
    AuthorSignatureInvalid,

    /// <summary>The segment commitments do not recompute to the signed commitment root: a withheld commitment was altered, or segments were added, removed or reordered.</summary>
    CommitmentsMismatch,

    /// <summary>A disclosed segment (text, kind or salt) does not match its commitment: altered text, or a segment of another item.</summary>
    SegmentMismatch,

    /// <summary>A disclosed segment matches the commitment of another position: segments were swapped or moved.</summary>
    SegmentSwapped,

    /// <summary>A disclosed file-reference segment is not a valid attachment manifest.</summary>
    DocumentManifestInvalid,

    /// <summary>A disclosed file-reference segment comes without its document.</summary>
    DocumentMissing,

    /// <summary>A document's bytes do not have the length and plaintext hash its manifest states.</summary>
    DocumentMismatch,

    /// <summary>The publisher's card does not decode or verify.</summary>
    PublisherCardInvalid,

    /// <summary>The publisher's signature over the record does not verify: audience, States, date or selection altered.</summary>
    PublisherSignatureInvalid,

    /// <summary>The checkpoint is not a well-formed signed note.</summary>
    CheckpointMalformed,

    /// <summary>The checkpoint is of another log than the item's review.</summary>
    CheckpointWrongOrigin,

    /// <summary>No valid signature by a trusted archive key: unsigned, or signed by a foreign key.</summary>
    CheckpointNotSigned,

    /// <summary>A signature line of a trusted key does not verify: the checkpoint (its root or size) was altered.</summary>
    CheckpointBadSignature,

    /// <summary>No valid timestamp by a trusted archive key.</summary>
    CheckpointNoTimestamp,

    /// <summary>A cosigner card listed in the record does not decode or verify.</summary>
    CosignerCardInvalid,

    /// <summary>A signature line on the checkpoint is by neither a trusted archive key nor a cosigner the record lists, or a listed cosigner has no line (in order).</summary>
    CheckpointUnlistedSignature,

    /// <summary>Fewer valid cosignatures by trusted cosigners than required.</summary>
    NotCosigned,

    /// <summary>The ciphertext carried for a whole-envelope archive entry is not the one whose hash the author signed.</summary>
    CiphertextMismatch,

    /// <summary>The inclusion proof does not lead from the item's archive entry to the signed root: a proof for another item, or another index or time.</summary>
    InclusionFailed,
}

/// <summary>One failed check, with the segment it concerns where there is one.</summary>
/// <param name="Failure">What failed.</param>
/// <param name="Segment">The segment concerned, if any.</param>
/// <param name="OtherSegment">For <see cref="PublicationFailure.SegmentSwapped"/>, the position whose commitment it matches.</param>
public sealed record PublicationProblem(PublicationFailure Failure, int? Segment = null, int? OtherSegment = null)
{
    /// <summary>One English sentence for people (the CLI and portal translate by <see cref="Failure"/>).</summary>
    public string Describe() => Failure switch
    {
        PublicationFailure.TooLarge => "the record is larger than any valid record",
        PublicationFailure.Malformed => "the record is not a well-formed publication record",
        PublicationFailure.UnsupportedVersion => "the record uses a version this verifier does not know",
        PublicationFailure.AuthorCardInvalid => "the author's device card is invalid or is not the sender named in the header",
        PublicationFailure.AuthorSignatureInvalid => "the author's signature does not verify: the item's header was altered",
        PublicationFailure.CommitmentsMismatch => "the segment commitments do not match the signed header",
        PublicationFailure.SegmentMismatch => Invariant($"segment {Segment} does not match its commitment: the text was altered or comes from another item"),
        PublicationFailure.SegmentSwapped => Invariant($"segment {Segment} matches the commitment of segment {OtherSegment}: segments were swapped"),
        PublicationFailure.DocumentManifestInvalid => Invariant($"segment {Segment} is not a valid document reference"),
        PublicationFailure.DocumentMissing => Invariant($"the document of segment {Segment} is missing"),
        PublicationFailure.DocumentMismatch => Invariant($"the document of segment {Segment} is not the file the author referred to (length or hash differ)"),
        PublicationFailure.PublisherCardInvalid => "the publisher's device card is invalid",
        PublicationFailure.PublisherSignatureInvalid => "the publisher's signature does not verify: audience, States, date or selection were altered",
        PublicationFailure.CheckpointMalformed => "the archive checkpoint is not a well-formed signed note",
        PublicationFailure.CheckpointWrongOrigin => "the archive checkpoint is of another review's log",
        PublicationFailure.CheckpointNotSigned => "the archive checkpoint is not signed by a trusted archive key",
        PublicationFailure.CheckpointBadSignature => "an archive signature on the checkpoint does not verify: its root or size was altered",
        PublicationFailure.CheckpointNoTimestamp => "the archive checkpoint has no valid signed time",
        PublicationFailure.CosignerCardInvalid => "a cosigner's device card in the record is invalid",
        PublicationFailure.CheckpointUnlistedSignature => "the archive checkpoint carries a signature the record does not account for",
        PublicationFailure.NotCosigned => "the archive checkpoint lacks the required cosignatures",
        PublicationFailure.CiphertextMismatch => "the ciphertext carried for the archive entry is not the one the author signed",
        PublicationFailure.InclusionFailed => "the inclusion proof does not place this item in the signed archive",
        _ => Failure.ToString(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the verifier trusts: the archive's log keys (with their ranges) and cosigners, and how many cosignatures it requires.</summary>
/// <param name="ArchiveKeys">Log keys and cosigners, obtained out of band (never from the record).</param>
public sealed record PublicationTrust(ArchiveKeyRing ArchiveKeys)
{
    /// <summary>Valid cosignatures by <see cref="ArchiveKeyRing.Cosigners"/> required on the checkpoint.</summary>
    /// <value>0: none required; valid ones are still listed.</value>
    public int MinimumCosignatures { get; init; }
}

/// <summary>The outcome of <see cref="PublicationVerifier"/>: valid when no check failed, with every failed check listed.</summary>
public sealed class PublicationVerification
{
    internal PublicationVerification(
        PublicationRecord? record, IReadOnlyList<PublicationProblem> problems, DevicePublicKeys? author, DevicePublicKeys? publisher, VerifiedCheckpoint? checkpoint)
    {
        Record = record;
        Problems = problems;
        Author = author;
        Publisher = publisher;
        Checkpoint = checkpoint;
    }

    /// <summary>True when every check passed.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Every failed check; empty when valid.</summary>
    public IReadOnlyList<PublicationProblem> Problems { get; }

    /// <summary>The decoded record; null when it did not decode.</summary>
    public PublicationRecord? Record { get; }

    /// <summary>The author's card, when it verified.</summary>
    public DevicePublicKeys? Author { get; }

    /// <summary>The publisher's card, when it verified.</summary>
    public DevicePublicKeys? Publisher { get; }

    /// <summary>The checkpoint, when it verified against the trusted keys.</summary>
    public VerifiedCheckpoint? Checkpoint { get; }

    /// <summary>True when <paramref name="failure"/> is among the problems.</summary>
    public bool Has(PublicationFailure failure) => Problems.Any(p => p.Failure == failure);
}
