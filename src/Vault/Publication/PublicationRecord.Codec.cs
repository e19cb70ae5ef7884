using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Publication;

/// <summary>Why a publication record did not decode.</summary>
public enum PublicationError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Larger than <see cref="PublicationRecord.MaxEncodedSize"/>; nothing was parsed.</summary>
    TooLarge,

    /// <summary>Truncated, trailing bytes, a field out of its range, or not in canonical order.</summary>
    Malformed,

    /// <summary>A version or suite other than 1 (of the record or of the item's header).</summary>
    UnsupportedVersion,
}

/// <summary>The canonical encoding of a publication record (docs/protocol.md, section 18.2).</summary>
public sealed partial class PublicationRecord
{
    /// <summary>Version byte of this encoding.</summary>
    public const byte Version = 1;

    /// <summary>Most bytes of document plaintext in one record (64 MiB).</summary>
    public const long MaxDocumentBytes = 64L * 1024 * 1024;

    /// <summary>Largest record a decoder reads: the documents plus 4 MiB for everything else.</summary>
    public const int MaxEncodedSize = (int)MaxDocumentBytes + (4 * 1024 * 1024);

    /// <summary>Most bytes of disclosed segment content (the item's plaintext limit).</summary>
    public const int MaxDisclosedContent = Padding.MaxPaddedLength;

    /// <summary>Certification form "none", the only one defined in version 1 (a slot for focal-point certification).</summary>
    internal const byte NoCertification = 0;

    /// <summary>
    /// Writes the signed part: version, suite, audience, published at, author and publisher States, author card and
    /// certification, the item's summary, the commitments, the disclosed segments, publisher card and certification.
    /// </summary>
    internal static byte[] WriteSignedPart(
        PublicationAudience audience, DateTimeOffset publishedAt, StateCode authorState, StateCode publisherState,
        DevicePublicKeys author, EnvelopeSummary item, IReadOnlyList<byte[]> commitments, IReadOnlyList<DisclosedSegment> disclosed,
        DevicePublicKeys publisher)
    {
        var w = new CanonicalWriter(1024 + disclosed.Sum(d => d.Segment.Content.Length));
        w.WriteByte(Version);
        w.WriteByte(ProtocolConstants.Suite);
        w.WriteByte((byte)audience);
        w.WriteInt64(publishedAt.ToUnixTimeMilliseconds());
        w.WriteBytes(System.Text.Encoding.ASCII.GetBytes(authorState.Value));
        w.WriteBytes(System.Text.Encoding.ASCII.GetBytes(publisherState.Value));
        w.WriteBytes(author.Encode());
        w.WriteByte(NoCertification);
        var summary = item.Encode();
        w.WriteUInt16((ushort)summary.Length);
        w.WriteBytes(summary);
        foreach (var c in commitments)
        {
            w.WriteBytes(c);
        }

        w.WriteUInt16((ushort)disclosed.Count);
        foreach (var d in disclosed)
        {
            w.WriteUInt16((ushort)d.Index);
            w.WriteByte((byte)d.Segment.Kind);
            w.WriteBytes(d.Salt.Span);
            w.WriteLongBytes(d.Segment.Content.Span);
        }

        w.WriteBytes(publisher.Encode());
        w.WriteByte(NoCertification);
        return w.ToArray();
    }

    /// <summary>Appends the publisher signature, the archive inclusion and the documents to the signed part.</summary>
    internal static byte[] Assemble(ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> signature, ArchiveInclusion archive, IReadOnlyList<PublishedDocument> documents)
    {
        var w = new CanonicalWriter(signedPart.Length + 512 + archive.Checkpoint.Length + archive.Ciphertext.Length + (archive.CosignerCards.Count * DevicePublicKeys.EncodedSize) + (int)documents.Sum(d => (long)d.Content.Length + 10));
        w.WriteBytes(signedPart);
        w.WriteBytes(signature);
        w.WriteUInt64((ulong)archive.EntryIndex);
        w.WriteInt64(archive.ReceivedAt.ToUnixTimeMilliseconds());
        w.WriteByte((byte)archive.Form);
        if (archive.Form == EnvelopeEntryForm.WholeEnvelope)
        {
            w.WriteLongBytes(archive.Ciphertext.Span);
        }

        w.WriteByte((byte)archive.Proof.Count);
        foreach (var p in archive.Proof)
        {
            w.WriteBytes(p);
        }

        w.WriteUInt16((ushort)archive.Checkpoint.Length);
        w.WriteBytes(archive.Checkpoint.Span);
        w.WriteByte((byte)archive.CosignerCards.Count);
        foreach (var card in archive.CosignerCards)
        {
            w.WriteBytes(card);
        }

        w.WriteUInt16((ushort)documents.Count);
        foreach (var d in documents)
        {
            w.WriteUInt16((ushort)d.SegmentIndex);
            w.WriteUInt64((ulong)d.Content.Length);
            w.WriteBytes(d.Content.Span);
        }

        return w.ToArray();
    }

    /// <summary>
    /// Decodes a record (section 18.3): bounded, linear in its input, never throws on hostile input. Checks the
    /// structure only (lengths, ranges, orders, segment formats); nothing about signatures, commitments or proofs.
    /// </summary>
    public static Result<PublicationRecord, PublicationError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize)
        {
            return PublicationError.TooLarge;
        }

        var copy = encoded.ToArray();
        var r = new CanonicalReader(copy);
        if (!r.TryReadByte(out var version) || !r.TryReadByte(out var suite))
        {
            return PublicationError.Malformed;
        }

        if (version != Version || suite != ProtocolConstants.Suite)
        {
            return PublicationError.UnsupportedVersion;
        }

        if (!r.TryReadByte(out var audience) || audience is not ((byte)PublicationAudience.StatesParties or (byte)PublicationAudience.Public) ||
            !r.TryReadInt64(out var publishedMs) || publishedMs is < 0 or > MaxTimestamp ||
            !r.TryReadBytes(StateCode.Size, out var authorStateBytes) || !StateCode.TryRead(authorStateBytes, out var authorState) ||
            !r.TryReadBytes(StateCode.Size, out var publisherStateBytes) || !StateCode.TryRead(publisherStateBytes, out var publisherState) ||
            !r.TryReadBytes(DevicePublicKeys.EncodedSize, out var authorCard) ||
            !r.TryReadByte(out var authorCertification) || authorCertification != NoCertification ||
            !r.TryReadUInt16(out var summaryLength) || summaryLength is < EnvelopeSummary.MinEncodedSize or > EnvelopeSummary.MaxEncodedSize ||
            !r.TryReadBytes(summaryLength, out var summaryBytes))
        {
            return PublicationError.Malformed;
        }

        var summary = EnvelopeSummary.Decode(summaryBytes);
        if (!summary.IsSuccess)
        {
            return summary.Error == EnvelopeError.UnsupportedVersion ? PublicationError.UnsupportedVersion : PublicationError.Malformed;
        }

        var item = summary.Value;
        var n = item.Header.SegmentCount;
        var commitments = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            if (!r.TryReadBytes(MerkleHash.Size, out var c))
            {
                return PublicationError.Malformed;
            }

            commitments[i] = c.ToArray();
        }

        if (!r.TryReadUInt16(out var disclosedCount) || disclosedCount < 1 || disclosedCount > n)
        {
            return PublicationError.Malformed;
        }

        var disclosed = new List<DisclosedSegment>(disclosedCount);
        long contentTotal = 0;
        var previous = -1;
        for (var i = 0; i < disclosedCount; i++)
        {
            if (!r.TryReadUInt16(out var index) || index <= previous || index >= n ||
                !r.TryReadByte(out var kind) ||
                !r.TryReadBytes(SegmentCommitments.SaltSize, out var salt) ||
                !r.TryReadLongBytes(0, MaxDisclosedContent, out var content) ||
                (contentTotal += content.Length) > MaxDisclosedContent ||
                Segment.TryCreate(kind, content) is not { } segment)
            {
                return PublicationError.Malformed;
            }

            previous = index;
            disclosed.Add(new DisclosedSegment(index, segment, salt.ToArray()));
        }

        if (!r.TryReadBytes(DevicePublicKeys.EncodedSize, out var publisherCard) ||
            !r.TryReadByte(out var publisherCertification) || publisherCertification != NoCertification)
        {
            return PublicationError.Malformed;
        }

        var signedLength = r.Position;
        if (!r.TryReadBytes(Ed25519.SignatureSize, out var signature) ||
            !r.TryReadUInt64(out var entryIndex) || entryIndex > (ulong)ArchiveEntry.MaxIndex ||
            !r.TryReadInt64(out var receivedMs) || receivedMs is < 0 or > MaxTimestamp ||
            !r.TryReadByte(out var form) || form > (byte)EnvelopeEntryForm.Summary)
        {
            return PublicationError.Malformed;
        }

        var ciphertext = ReadOnlySpan<byte>.Empty;
        var ciphertextLength = item.Header.PaddedLength + XChaCha20Poly1305.TagSize;
        if ((EnvelopeEntryForm)form == EnvelopeEntryForm.WholeEnvelope &&
            !r.TryReadLongBytes(ciphertextLength, ciphertextLength, out ciphertext))
        {
            return PublicationError.Malformed;
        }

        if (!r.TryReadByte(out var proofCount) || proofCount > MerkleProofs.MaxProofLength)
        {
            return PublicationError.Malformed;
        }

        var proof = new byte[proofCount][];
        for (var i = 0; i < proofCount; i++)
        {
            if (!r.TryReadBytes(MerkleHash.Size, out var p))
            {
                return PublicationError.Malformed;
            }

            proof[i] = p.ToArray();
        }

        if (!r.TryReadUInt16(out var checkpointLength) || checkpointLength is 0 or > SignedCheckpoint.MaxEncodedSize ||
            !r.TryReadBytes(checkpointLength, out var checkpoint) ||
            !r.TryReadByte(out var cosignerCount) || cosignerCount > SignedCheckpoint.MaxSignatures)
        {
            return PublicationError.Malformed;
        }

        var cosigners = new byte[cosignerCount][];
        for (var i = 0; i < cosignerCount; i++)
        {
            if (!r.TryReadBytes(DevicePublicKeys.EncodedSize, out var card))
            {
                return PublicationError.Malformed;
            }

            cosigners[i] = card.ToArray();
        }

        if (!r.TryReadUInt16(out var documentCount))
        {
            return PublicationError.Malformed;
        }

        var documents = new List<PublishedDocument>(Math.Min((int)documentCount, disclosed.Count));
        long documentTotal = 0;
        previous = -1;
        for (var i = 0; i < documentCount; i++)
        {
            if (!r.TryReadUInt16(out var segmentIndex) || segmentIndex <= previous ||
                !disclosed.Any(d => d.Index == segmentIndex && d.Segment.Kind == SegmentKind.FileReference) ||
                !r.TryReadUInt64(out var length) || length > (ulong)MaxDocumentBytes ||
                (documentTotal += (long)length) > MaxDocumentBytes ||
                !r.TryReadBytes((int)length, out var content))
            {
                return PublicationError.Malformed;
            }

            previous = segmentIndex;
            documents.Add(new PublishedDocument(segmentIndex, content.ToArray()));
        }

        if (!r.End)
        {
            return PublicationError.Malformed;
        }

        var archive = new ArchiveInclusion(
            (long)entryIndex, DateTimeOffset.FromUnixTimeMilliseconds(receivedMs), proof, checkpoint.ToArray(), cosigners,
            (EnvelopeEntryForm)form, ciphertext.ToArray());
        return new PublicationRecord(
            (PublicationAudience)audience, DateTimeOffset.FromUnixTimeMilliseconds(publishedMs), authorState, publisherState,
            authorCard.ToArray(), item, commitments, disclosed, publisherCard.ToArray(), signature.ToArray(), archive, documents,
            copy, signedLength);
    }

    private const long MaxTimestamp = 253402300799999;
}
