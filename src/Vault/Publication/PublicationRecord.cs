using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Publication;

/// <summary>
/// A publication record (docs/protocol.md, section 18): one item of a review, or some of its segments, released
/// by the reviewed State with everything needed to check it offline: the author's signed envelope summary, the
/// salted openings of the disclosed segments and the bare commitments of the withheld ones, the item's archive
/// inclusion proof against a signed checkpoint, the plaintext of disclosed documents, and the publisher's
/// signature over its choice. Decoding (<see cref="Decode"/>) checks the structure only;
/// <see cref="PublicationVerifier"/> checks what it proves.
/// </summary>
public sealed partial class PublicationRecord
{
    private readonly byte[][] _commitments;
    private readonly byte[] _authorCard;
    private readonly byte[] _publisherCard;
    private readonly byte[] _publisherSignature;

    private PublicationRecord(
        PublicationAudience audience,
        DateTimeOffset publishedAt,
        StateCode authorState,
        StateCode publisherState,
        byte[] authorCard,
        EnvelopeSummary item,
        byte[][] commitments,
        IReadOnlyList<DisclosedSegment> disclosed,
        byte[] publisherCard,
        byte[] publisherSignature,
        ArchiveInclusion archive,
        IReadOnlyList<PublishedDocument> documents,
        byte[] encoded,
        int signedLength)
    {
        Audience = audience;
        PublishedAt = publishedAt;
        AuthorState = authorState;
        PublisherState = publisherState;
        _authorCard = authorCard;
        Item = item;
        _commitments = commitments;
        Disclosed = disclosed;
        _publisherCard = publisherCard;
        _publisherSignature = publisherSignature;
        Archive = archive;
        Documents = documents;
        Encoded = encoded;
        SignedLength = signedLength;
    }

    /// <summary>Who it is for.</summary>
    public PublicationAudience Audience { get; }

    /// <summary>When the publisher made it (publisher's clock, whole milliseconds).</summary>
    public DateTimeOffset PublishedAt { get; }

    /// <summary>The State whose device wrote the item, as the publisher states it (see docs/protocol.md 18.7).</summary>
    public StateCode AuthorState { get; }

    /// <summary>The publishing State (the State under review).</summary>
    public StateCode PublisherState { get; }

    /// <summary>The author device's card, 130 bytes, as carried (verified by <see cref="PublicationVerifier"/>).</summary>
    public ReadOnlySpan<byte> AuthorCard => _authorCard;

    /// <summary>The item: its header, ciphertext hash and the author's signature.</summary>
    public EnvelopeSummary Item { get; }

    /// <summary>The segment commitments (leaf hashes), one per segment of the item, in order.</summary>
    public IReadOnlyList<byte[]> Commitments => _commitments;

    /// <summary>The disclosed segments, by increasing index.</summary>
    public IReadOnlyList<DisclosedSegment> Disclosed { get; }

    /// <summary>Indices of the withheld segments (every index not disclosed).</summary>
    public IEnumerable<int> Withheld => Enumerable.Range(0, _commitments.Length).Where(i => !Disclosed.Any(d => d.Index == i));

    /// <summary>The publisher device's card.</summary>
    public ReadOnlySpan<byte> PublisherCard => _publisherCard;

    /// <summary>The publisher's Ed25519 signature over <c>"SecureDialogue/publication/v1" 0x00 || signed part</c>.</summary>
    public ReadOnlySpan<byte> PublisherSignature => _publisherSignature;

    /// <summary>The item's place in its review's archive log and the proof of it.</summary>
    public ArchiveInclusion Archive { get; }

    /// <summary>The plaintext of disclosed documents, by increasing segment index.</summary>
    public IReadOnlyList<PublishedDocument> Documents { get; }

    /// <summary>The canonical encoding.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>Length of the signed part at the start of <see cref="Encoded"/>.</summary>
    internal int SignedLength { get; }

    /// <inheritdoc />
    public override string ToString() => $"PublicationRecord {Item.Header.Review} {Disclosed.Count}/{_commitments.Length} segments, {Audience}";
}

/// <summary>A disclosed segment: its index, kind, salt and content, which recompute its commitment.</summary>
/// <param name="Index">Position in the item.</param>
/// <param name="Segment">Kind and content.</param>
/// <param name="Salt">The segment's 32-byte salt (never the item's salt key).</param>
public sealed record DisclosedSegment(int Index, Segment Segment, ReadOnlyMemory<byte> Salt);

/// <summary>The plaintext of a disclosed document, for the file-reference segment at <paramref name="SegmentIndex"/>.</summary>
/// <param name="SegmentIndex">The disclosed file-reference segment whose manifest describes the file.</param>
/// <param name="Content">The file's bytes.</param>
public sealed record PublishedDocument(int SegmentIndex, ReadOnlyMemory<byte> Content);

/// <summary>
/// Where the item is in its review's archive log: the entry's index and receive time (which, with the item's
/// summary, recompute the entry and its leaf hash), the RFC 9162 inclusion proof, and the signed checkpoint
/// (C2SP signed note, with any cosignatures) whose root the proof reaches.
/// </summary>
/// <param name="EntryIndex">Index of the item's <c>Envelope</c> entry.</param>
/// <param name="ReceivedAt">The entry's receive time (server clock, whole milliseconds).</param>
/// <param name="Proof">The audit path, leaf side first.</param>
/// <param name="Checkpoint">The signed note, UTF-8.</param>
/// <param name="CosignerCards">
/// The device card (130 bytes) of each cosigner with a line on the checkpoint, in the order of their lines: every
/// line of the note is then accounted for (a log key or a listed cosigner), so no byte of the record is unchecked.
/// </param>
/// <param name="Form">How the log recorded the envelope: its summary (nothing more needed) or the whole envelope.</param>
/// <param name="Ciphertext">
/// For <see cref="EnvelopeEntryForm.WholeEnvelope"/> only: the envelope's ciphertext, needed to recompute the entry.
/// It is encrypted under the epoch key, so it hides the withheld segments only as long as that key stays secret.
/// </param>
public sealed record ArchiveInclusion(
    long EntryIndex,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<byte[]> Proof,
    ReadOnlyMemory<byte> Checkpoint,
    IReadOnlyList<byte[]> CosignerCards,
    EnvelopeEntryForm Form = EnvelopeEntryForm.Summary,
    ReadOnlyMemory<byte> Ciphertext = default)
{
    /// <summary>The archive entry this inclusion is about, recomputed from the item's summary (and ciphertext).</summary>
    internal ArchiveEntry EntryFor(EnvelopeSummary item) => Form == EnvelopeEntryForm.Summary
        ? item.ToArchiveEntry(EntryIndex, ReceivedAt)
        : ArchiveEntry.Create(item.Header.Review, EntryIndex, ArchiveEntryKind.Envelope, ReceivedAt, WholeEnvelope(item, Ciphertext.Span));

    /// <summary><c>header || u32 length || ciphertext || signature</c>: the envelope encoding of section 7.1.</summary>
    internal static byte[] WholeEnvelope(EnvelopeSummary item, ReadOnlySpan<byte> ciphertext)
    {
        var header = item.HeaderBytes;
        var envelope = new byte[header.Length + 4 + ciphertext.Length + item.Signature.Length];
        header.CopyTo(envelope);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(header.Length), (uint)ciphertext.Length);
        ciphertext.CopyTo(envelope.AsSpan(header.Length + 4));
        item.Signature.CopyTo(envelope.AsSpan(header.Length + 4 + ciphertext.Length));
        return envelope;
    }
}

/// <summary>How the archive recorded an envelope: the payload of its <c>Envelope</c> entry (docs/protocol.md, 16.2, 18.1).</summary>
public enum EnvelopeEntryForm : byte
{
    /// <summary>The whole envelope as received: a record must carry the ciphertext to recompute the entry.</summary>
    WholeEnvelope = 0,

    /// <summary>The envelope summary (section 7.12): a record needs nothing more.</summary>
    Summary = 1,
}
