using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Publication;
using SecureDialogue.Vault.Tests.Attachments;
using SecureDialogue.Vault.Tests.Envelopes;

namespace SecureDialogue.Vault.Tests.Publication;

/// <summary>
/// A review whose archive log holds three items (an answer with a short confidential segment, another item, and an
/// item with a document), a checkpoint signed by the log key and cosigned by the focal point (the manager), and
/// the focal point's opened copies of the items, from which it builds publication records.
/// </summary>
internal sealed class PublicationFixture : IDisposable
{
    public const string PublicText = "La Partie examinée a adopté la loi n° 2019-222 transposant l'article 5.";
    public const string WithheldText = "Oui";
    public const string AnswerText = "Les poursuites sont engagées d'office.";

    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 23, 9, 31, 0, 250, TimeSpan.Zero);
    public static readonly DateTimeOffset CheckpointTime = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset PublishedAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<byte[]> _leaves = [];
    private readonly List<ArchiveEntry> _entries = [];

    public PublicationFixture()
    {
        F = new EnvelopeFixture();
        Log = CheckpointSigner.Create();
        Item = Open(EnvelopeSealer.Seal(F.Expert, F.ExpertKeyring.Current!, 1, new EnvelopeDraft
        {
            Review = F.Review,
            Channel = F.Channel,
            Kind = ItemKind.QuestionnaireResponse,
            Language = LanguageTag.French,
            Segments = [Segment.Text(PublicText), Segment.Text(WithheldText), Segment.QuestionnaireAnswer("UNTOC-5.1", AnswerText)],
        }, EnvelopeFixture.Now));
        Other = Open(EnvelopeSealer.Seal(F.Expert, F.ExpertKeyring.Current!, 2, F.Draft("Autre élément.", "Second paragraphe.", "Troisième."), EnvelopeFixture.Now));

        Document = AttachmentFixture.Plaintext(5000, seed: 7);
        var (manifest, _) = AttachmentFixture.EncryptAsync(Document).GetAwaiter().GetResult();
        using (manifest)
        {
            DocumentItem = Open(EnvelopeSealer.Seal(F.Expert, F.ExpertKeyring.Current!, 3, new EnvelopeDraft
            {
                Review = F.Review,
                Channel = F.Channel,
                Kind = ItemKind.Document,
                Language = LanguageTag.English,
                Segments = [Segment.Text("The law as adopted."), manifest.ToSegment()],
            }, EnvelopeFixture.Now));
        }

        Append(ArchiveEntry.Create(F.Review, 0, ArchiveEntryKind.EpochRecord, ReceivedAt, F.Genesis.Encoded.Span));
        ItemIndex = Append(EnvelopeSummary.Of(Item.Envelope).ToArchiveEntry(1, ReceivedAt));
        OtherIndex = Append(EnvelopeSummary.Of(Other.Envelope).ToArchiveEntry(2, ReceivedAt.AddSeconds(1)));
        DocumentIndex = Append(EnvelopeSummary.Of(DocumentItem.Envelope).ToArchiveEntry(3, ReceivedAt.AddSeconds(2)));
        Append(ArchiveEntry.Create(F.Review, 4, ArchiveEntryKind.StageChange, ReceivedAt.AddSeconds(3), Encoding.ASCII.GetBytes("stage: dialogue")));

        var signed = Log.Sign(ArchiveOrigin.ForReview(F.Review), _leaves.Count, MerkleTree.Root(_leaves), CheckpointTime);
        Checkpoint = CheckpointSigner.Cosign(FocalPoint, signed, CheckpointTime.AddMinutes(5));
        Trust = new PublicationTrust(new ArchiveKeyRing([Log.LogKey()], [CosignerKey.ForDevice(FocalPoint.PublicKeys)]));
    }

    public EnvelopeFixture F { get; }

    /// <summary>The focal point of the State under review: opens items, publishes, cosigns.</summary>
    public DeviceIdentity FocalPoint => F.Manager;

    public CheckpointSigner Log { get; }

    public OpenedEnvelope Item { get; }

    public OpenedEnvelope Other { get; }

    public OpenedEnvelope DocumentItem { get; }

    public byte[] Document { get; }

    public long ItemIndex { get; }

    public long OtherIndex { get; }

    public long DocumentIndex { get; }

    public SignedCheckpoint Checkpoint { get; }

    public PublicationTrust Trust { get; }

    public IReadOnlyList<ArchiveEntry> Entries => _entries;

    public List<byte[]> Proof(long index) => MerkleTree.InclusionProof(_leaves, (int)index);

    /// <summary>A builder for <paramref name="item"/> at archive <paramref name="index"/> with the fixture's checkpoint.</summary>
    public PublicationBuilder Builder(OpenedEnvelope item, long index) =>
        new PublicationBuilder(item)
        {
            Audience = PublicationAudience.Public,
            AuthorState = StateCode.Parse("DEU"),
            PublisherState = StateCode.Parse("FRA"),
        }.WithArchive(index, index == ItemIndex ? ReceivedAt : ReceivedAt.AddSeconds(index - ItemIndex), Proof(index), Checkpoint, [FocalPoint.PublicKeys]);

    /// <summary>The genuine record: segments 0 and 2 of <see cref="Item"/> disclosed, 1 withheld.</summary>
    public PublicationRecord Genuine() => Builder(Item, ItemIndex).Disclose(0).Disclose(2).Build(FocalPoint, PublishedAt);

    /// <summary>The genuine document record: both segments of <see cref="DocumentItem"/> and the file.</summary>
    public PublicationRecord GenuineDocument() =>
        Builder(DocumentItem, DocumentIndex).DiscloseAll().AddDocument(1, Document).Build(FocalPoint, PublishedAt);

    /// <summary>
    /// What a dishonest publisher (holding a valid device key) could produce: the record's parts, changed by the
    /// caller, re-assembled and validly signed by <see cref="FocalPoint"/>.
    /// </summary>
    public byte[] Forge(
        PublicationRecord record,
        EnvelopeSummary? item = null,
        IReadOnlyList<byte[]>? commitments = null,
        IReadOnlyList<DisclosedSegment>? disclosed = null,
        ArchiveInclusion? archive = null,
        IReadOnlyList<PublishedDocument>? documents = null,
        DevicePublicKeys? author = null)
    {
        var signed = PublicationRecord.WriteSignedPart(
            record.Audience, record.PublishedAt, record.AuthorState, record.PublisherState,
            author ?? DevicePublicKeys.Decode(record.AuthorCard).Value!, item ?? record.Item, commitments ?? record.Commitments,
            disclosed ?? record.Disclosed, FocalPoint.PublicKeys);
        byte[] message = [.. ProtocolConstants.PublicationContext, .. signed];
        var signature = new byte[Ed25519.SignatureSize];
        FocalPoint.Sign(message, signature);
        return PublicationRecord.Assemble(signed, signature, archive ?? record.Archive, documents ?? record.Documents);
    }

    public void Dispose()
    {
        Log.Dispose();
        F.Dispose();
    }

    private long Append(ArchiveEntry entry)
    {
        _entries.Add(entry);
        _leaves.Add(entry.LeafHash());
        return entry.Index;
    }

    private OpenedEnvelope Open(Envelope envelope)
    {
        var opened = EnvelopeOpener.Open(envelope, F.ManagerKeyring);
        Assert.True(opened.IsSuccess, opened.ToString());
        return opened.Value;
    }
}
