using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Tests.Publication;

/// <summary>
/// A review of AUT (reviewing FRA and KEN) with AUT's focal point, an AUT expert and observer, a FRA expert and the
/// secretariat, its dialogue open, and one questionnaire answer by the AUT expert in two segments: a public part and a
/// part holding <see cref="Secret"/>. <see cref="BuildAsync"/> makes publication records of that answer the way a
/// client does: it opens the item with the publisher's keys, proves its archive entry against a checkpoint the
/// publisher verified and cosigned, and signs with the publisher's device.
/// </summary>
public sealed class PublicationReview : IDisposable
{
    public const string PublicPart = "Article 5 is implemented by section 12 of the Penal Code.";

    private readonly List<IDisposable> _owned = [];

    private PublicationReview(ITestServer host) => Host = host;

    public ITestServer Host { get; }

    public Guid ReviewId { get; private set; }

    /// <summary>Text of the withheld segment: must never reach a record, the API or the portal.</summary>
    public string Secret { get; } = "WITHHELD-" + Guid.NewGuid().ToString("N")[..12];

    public Participant Secretariat { get; private set; } = null!;

    /// <summary>The focal point of AUT, the State under review: the only one who may publish.</summary>
    public Participant FocalPoint { get; private set; } = null!;

    public Participant ExpertAut { get; private set; } = null!;

    public Participant Observer { get; private set; } = null!;

    public Participant ExpertFra { get; private set; } = null!;

    /// <summary>Signed in, member of no review.</summary>
    public Participant Outsider { get; private set; } = null!;

    public long AnswerSequence { get; private set; }

    /// <summary>Creates the review; with <paramref name="document"/>, the answer has a third segment referring to it (a file).</summary>
    public static async Task<PublicationReview> CreateAsync(ITestServer host, byte[]? document = null)
    {
        var world = new PublicationReview(host);
        var tag = Guid.NewGuid().ToString("N")[..8];
        world.Secretariat = world.Own(await Participant.SignInAsync(host, $"sec-{tag}", secretariat: true));
        world.FocalPoint = world.Own(await Participant.SignInAsync(host, $"fp-aut-{tag}"));
        world.ExpertAut = world.Own(await Participant.SignInAsync(host, $"expert-aut-{tag}"));
        world.Observer = world.Own(await Participant.SignInAsync(host, $"observer-aut-{tag}"));
        world.ExpertFra = world.Own(await Participant.SignInAsync(host, $"expert-fra-{tag}"));
        world.Outsider = world.Own(await Participant.SignInAsync(host, $"outsider-{tag}"));
        var request = new CreateReview(
            $"Review of AUT {tag}", "AUT", ["FRA", "KEN"], ["en"],
            [
                new NewMember(world.FocalPoint.User, "FP AUT", "AUT", MemberRole.FocalPoint),
                new NewMember(world.ExpertAut.User, "Expert AUT", "AUT", MemberRole.Expert),
                new NewMember(world.Observer.User, "Observer AUT", "AUT", MemberRole.Observer),
                new NewMember(world.ExpertFra.User, "Expert FRA", "FRA", MemberRole.Expert),
            ]);
        using var created = await world.Secretariat.Http.PostAsJsonAsync(HttpRoutes.Reviews, request);
        created.EnsureSuccessStatusCode();
        world.ReviewId = (await created.Content.ReadFromJsonAsync<ReviewDetail>())!.ReviewId;

        var (record, key) = EpochRecordBuilder.Genesis(
            world.ExpertAut.Device, world.ReviewId, ChannelId.Dialogue,
            [
                new MemberDevice(world.ExpertAut.Device.PublicKeys, MayManage: true),
                new MemberDevice(world.FocalPoint.Device.PublicKeys, MayManage: true),
                new MemberDevice(world.ExpertFra.Device.PublicKeys, MayManage: true),
                new MemberDevice(world.Observer.Device.PublicKeys, MayManage: false),
            ],
            DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        world._owned.Add(key);
        using (var response = await world.ExpertAut.Http.PostAsJsonAsync(HttpRoutes.EpochsOf(world.ReviewId, "dialogue"), new AddEpochRecord(record.Encoded.ToArray())))
        {
            response.EnsureSuccessStatusCode();
        }

        var answer = EnvelopeSealer.Seal(
            world.ExpertAut.Device, key, 1,
            new EnvelopeDraft
            {
                Review = world.ReviewId,
                Channel = ChannelId.Dialogue,
                Kind = ItemKind.QuestionnaireResponse,
                Language = LanguageTag.English,
                Segments = document is null
                    ? [Segment.Text(PublicPart), Segment.Text($"Case figures by district: {world.Secret}")]
                    : [Segment.Text(PublicPart), Segment.Text($"Case figures by district: {world.Secret}"), await FileSegmentAsync(document)],
            },
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        using (var response = await world.ExpertAut.Http.PostAsJsonAsync(
            HttpRoutes.EnvelopesOf(world.ReviewId, "dialogue"), new SendEnvelope(world.ReviewId, "dialogue", answer.Encoded.ToArray())))
        {
            response.EnsureSuccessStatusCode();
            world.AnswerSequence = (await response.Content.ReadFromJsonAsync<SendAck>())!.Sequence;
        }

        return world;
    }

    // A file-reference segment for the document (its manifest; the blob itself is not needed to publish it).
    private static async Task<Segment> FileSegmentAsync(byte[] document)
    {
        using var ciphertext = new MemoryStream();
        var encrypted = await Vault.Attachments.AttachmentEncryptor.EncryptAsync(
            new MemoryStream(document), ciphertext, new Vault.Attachments.AttachmentDescription("annex-2.pdf", "application/pdf"));
        using var manifest = encrypted.Value!;
        return manifest.ToSegment();
    }

    /// <summary>A record of the answer disclosing <paramref name="disclose"/>, with the documents of disclosed file segments.</summary>
    public async Task<PublicationRecord> BuildAsync(Participant publisher, int[] disclose, IReadOnlyDictionary<int, byte[]> documents)
    {
        using var keyring = await PublicationRecords.DialogueKeyringAsync(publisher, ReviewId, ExpertAut.Device.Id);
        return await PublicationRecords.BuildAsync(publisher, keyring, publisher, ReviewId, AnswerSequence, disclose, PublicationAudience.Public, "AUT", "AUT", documents);
    }

    /// <summary>
    /// A record of the answer with segment 0 disclosed, built and signed by <paramref name="publisher"/> (who must read
    /// the dialogue), naming <paramref name="publisherState"/>.
    /// </summary>
    public async Task<PublicationRecord> BuildAsync(Participant publisher, PublicationAudience audience = PublicationAudience.Public, string publisherState = "AUT")
    {
        using var keyring = await PublicationRecords.DialogueKeyringAsync(publisher, ReviewId, ExpertAut.Device.Id);
        return await PublicationRecords.BuildAsync(publisher, keyring, publisher, ReviewId, AnswerSequence, [0], audience, "AUT", publisherState);
    }

    /// <summary>Posts a record's bytes as <paramref name="caller"/> (null: with <paramref name="anonymous"/>).</summary>
    public Task<HttpResponseMessage> PostAsync(Participant? caller, ReadOnlyMemory<byte> record, HttpClient? anonymous = null) =>
        PublicationRecords.PostAsync(caller?.Http ?? anonymous!, ReviewId, record);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private Participant Own(Participant participant)
    {
        _owned.Add(participant);
        return participant;
    }
}
