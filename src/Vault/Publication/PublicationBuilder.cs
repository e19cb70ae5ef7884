using System.Security.Cryptography;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Publication;

/// <summary>
/// Builds a publication record on the publisher's device from an item it opened (docs/protocol.md, section 18.4).
/// Only the chosen segments leave the device with their salts; every other segment is represented by its
/// commitment alone. The builder checks its own output: the inclusion proof must reach the checkpoint's root,
/// documents must match their manifests, and the record must decode.
/// </summary>
public sealed class PublicationBuilder
{
    private readonly OpenedEnvelope _item;
    private readonly SortedSet<int> _disclosed = [];
    private readonly SortedDictionary<int, ReadOnlyMemory<byte>> _documents = [];
    private ArchiveInclusion? _archive;

    /// <summary>A builder for <paramref name="item"/>, an envelope this device opened and verified.</summary>
    public PublicationBuilder(OpenedEnvelope item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _item = item;
    }

    /// <summary>Who it is for; required.</summary>
    public PublicationAudience Audience { get; set; }

    /// <summary>The author's State; required.</summary>
    public StateCode? AuthorState { get; set; }

    /// <summary>The publishing State; required.</summary>
    public StateCode? PublisherState { get; set; }

    /// <summary>Discloses segment <paramref name="index"/>.</summary>
    public PublicationBuilder Disclose(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _item.Segments.Count);
        _disclosed.Add(index);
        return this;
    }

    /// <summary>Discloses every segment.</summary>
    public PublicationBuilder DiscloseAll()
    {
        for (var i = 0; i < _item.Segments.Count; i++)
        {
            _disclosed.Add(i);
        }

        return this;
    }

    /// <summary>
    /// Adds the plaintext of the document referred to by file-reference segment <paramref name="segmentIndex"/> (the
    /// file as <see cref="AttachmentDecryptor"/> verified it). The segment must be disclosed.
    /// </summary>
    public PublicationBuilder AddDocument(int segmentIndex, ReadOnlyMemory<byte> plaintext)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segmentIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(segmentIndex, _item.Segments.Count);
        if (_item.Segments[segmentIndex].Kind != SegmentKind.FileReference)
        {
            throw new ArgumentException($"Segment {segmentIndex} is not a file reference.", nameof(segmentIndex));
        }

        _documents[segmentIndex] = plaintext;
        return this;
    }

    /// <summary>
    /// The item's archive entry: its index and receive time, the RFC 9162 inclusion proof, and the signed checkpoint
    /// the proof is for, all as the archive served them, with the device cards of the checkpoint's cosigners (from the
    /// review's verified membership). Lines of cosigners whose card is not given are removed from the checkpoint;
    /// the log's own lines are kept.
    /// </summary>
    public PublicationBuilder WithArchive(
        long entryIndex, DateTimeOffset receivedAt, IReadOnlyList<byte[]> proof, SignedCheckpoint checkpoint, IEnumerable<DevicePublicKeys>? cosigners = null,
        EnvelopeEntryForm form = EnvelopeEntryForm.Summary)
    {
        if (form is not (EnvelopeEntryForm.Summary or EnvelopeEntryForm.WholeEnvelope))
        {
            throw new ArgumentOutOfRangeException(nameof(form));
        }

        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var known = (cosigners ?? []).Select(c => (Card: c, Key: CosignerKey.ForDevice(c))).ToList();
        var lines = new List<NoteSignature>();
        var cards = new List<byte[]>();
        foreach (var line in checkpoint.Signatures)
        {
            var match = known.FirstOrDefault(k => string.Equals(k.Key.Name, line.KeyName, StringComparison.Ordinal) && k.Key.KeyId == line.KeyId);
            if (match.Card is not null)
            {
                lines.Add(line);
                cards.Add(match.Card.Encode());
            }
            else if (!line.KeyName.StartsWith(CosignerKey.NamePrefix, StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        var text = checkpoint.Body + "\n" + string.Concat(lines.Select(l => l.Line));
        var ciphertext = form == EnvelopeEntryForm.WholeEnvelope ? _item.Envelope.Ciphertext.ToArray() : [];
        _archive = new ArchiveInclusion(entryIndex, receivedAt, [.. proof.Select(p => p.ToArray())], SignedNote.StrictUtf8.GetBytes(text), cards, form, ciphertext);
        return this;
    }

    /// <summary>
    /// The same, from the archive entry the log served for the item: its index and time are taken from it, and its
    /// form (summary or whole envelope) is recognised by comparing its payload with this item. Throws
    /// <see cref="ArgumentException"/> when the entry is not this item's <c>Envelope</c> entry.
    /// </summary>
    public PublicationBuilder WithArchive(ArchiveEntry entry, IReadOnlyList<byte[]> proof, SignedCheckpoint checkpoint, IEnumerable<DevicePublicKeys>? cosigners = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var summary = EnvelopeSummary.Of(_item.Envelope);
        var form = entry.Kind != ArchiveEntryKind.Envelope || entry.Review != _item.Header.Review ? (EnvelopeEntryForm?)null
            : entry.MatchesPayload(summary.Encode()) ? EnvelopeEntryForm.Summary
            : entry.MatchesPayload(_item.Envelope.Encoded.Span) ? EnvelopeEntryForm.WholeEnvelope
            : null;
        return form is { } f
            ? WithArchive(entry.Index, entry.ReceivedAt, proof, checkpoint, cosigners, f)
            : throw new ArgumentException("The archive entry is not this item's Envelope entry.", nameof(entry));
    }

    /// <summary>
    /// Builds and signs the record with <paramref name="publisher"/>'s device key at <paramref name="publishedAt"/>.
    /// Throws <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> when something required is
    /// missing or inconsistent; nothing is output then.
    /// </summary>
    public PublicationRecord Build(DeviceIdentity publisher, DateTimeOffset publishedAt)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        if (Audience is not (PublicationAudience.StatesParties or PublicationAudience.Public))
        {
            throw new InvalidOperationException("Choose an audience: all States parties or the public.");
        }

        if (AuthorState is not { Value: not null } authorState || PublisherState is not { Value: not null } publisherState)
        {
            throw new InvalidOperationException("The author's and the publisher's States are required.");
        }

        if (_disclosed.Count == 0)
        {
            throw new InvalidOperationException("Disclose at least one segment.");
        }

        var archive = _archive ?? throw new InvalidOperationException("The item's archive inclusion proof is required (WithArchive).");
        var item = EnvelopeSummary.Of(_item.Envelope);
        CheckArchive(item, archive);

        var commitments = new byte[_item.Segments.Count][];
        var disclosed = new List<DisclosedSegment>(_disclosed.Count);
        for (var i = 0; i < _item.Segments.Count; i++)
        {
            var segment = _item.Segments[i];
            var salt = _item.SegmentSalt(i);
            commitments[i] = SegmentCommitments.LeafHash(i, segment.Kind, salt, segment.Content.Span);
            if (_disclosed.Contains(i))
            {
                disclosed.Add(new DisclosedSegment(i, segment, salt));
            }
            else
            {
                CryptographicOperations.ZeroMemory(salt);
            }
        }

        var documents = Documents();
        var signed = PublicationRecord.WriteSignedPart(
            Audience, publishedAt, authorState, publisherState, _item.Sender, item, commitments, disclosed, publisher.PublicKeys);
        var context = ProtocolConstants.PublicationContext;
        var message = new byte[context.Length + signed.Length];
        context.CopyTo(message, 0);
        signed.CopyTo(message, context.Length);
        var signature = new byte[Ed25519.SignatureSize];
        publisher.Sign(message, signature);

        var encoded = PublicationRecord.Assemble(signed, signature, archive, documents);
        var decoded = PublicationRecord.Decode(encoded);
        return decoded.IsSuccess ? decoded.Value : throw new InvalidOperationException($"The record built does not decode ({decoded.Error}).");
    }

    private List<PublishedDocument> Documents()
    {
        var documents = new List<PublishedDocument>();
        long total = 0;
        foreach (var index in _disclosed.Where(i => _item.Segments[i].Kind == SegmentKind.FileReference))
        {
            if (!_documents.TryGetValue(index, out var content))
            {
                throw new InvalidOperationException($"Segment {index} refers to a document: add its plaintext (AddDocument) or withhold the segment.");
            }

            using var manifest = AttachmentManifest.FromSegment(_item.Segments[index]).Value
                ?? throw new InvalidOperationException($"Segment {index} is not a valid attachment manifest.");
            if (!PublicationVerifier.DocumentMatches(manifest, content.Span))
            {
                throw new ArgumentException($"The document given for segment {index} is not the file its manifest describes.");
            }

            total += content.Length;
            if (total > PublicationRecord.MaxDocumentBytes)
            {
                throw new ArgumentException($"A record holds at most {PublicationRecord.MaxDocumentBytes} bytes of documents.");
            }

            documents.Add(new PublishedDocument(index, content.ToArray()));
        }

        if (_documents.Keys.Any(i => !_disclosed.Contains(i)))
        {
            throw new InvalidOperationException("A document was added for a segment that is not disclosed.");
        }

        return documents;
    }

    private static void CheckArchive(EnvelopeSummary item, ArchiveInclusion archive)
    {
        var parsed = SignedCheckpoint.Parse(archive.Checkpoint.Span);
        if (!parsed.IsSuccess)
        {
            throw new ArgumentException($"The checkpoint does not parse ({parsed.Error}).");
        }

        var checkpoint = parsed.Value;
        if (!string.Equals(checkpoint.Origin, ArchiveOrigin.ForReview(item.Header.Review), StringComparison.Ordinal))
        {
            throw new ArgumentException("The checkpoint is not of the item's review log.");
        }

        var leaf = archive.EntryFor(item).LeafHash();
        if (!MerkleProofs.VerifyInclusion(leaf, archive.EntryIndex, checkpoint.TreeSize, checkpoint.RootHash, archive.Proof))
        {
            throw new ArgumentException("The inclusion proof does not lead from the item's archive entry to the checkpoint's root.");
        }
    }
}
