using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// A review of AUT by FRA and KEN: Alice (AUT expert), Olga (AUT observer), Bob (FRA expert), Carol (KEN expert), the
/// secretariat member who created it, and Mallory, signed in but not a member. Each has a registered device. When
/// opened, epoch 0 of <c>dialogue</c> (by Alice: Alice, Bob, Carol manage; Olga reads) and of <c>reviewers</c> (by Bob:
/// Bob and Carol) are stored.
/// </summary>
public sealed class ReviewScenario : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private ReviewScenario(ITestServer host) => Host = host;

    public ITestServer Host { get; }

    public Guid ReviewId { get; private set; }

    public Participant Secretariat { get; private set; } = null!;

    public Participant Alice { get; private set; } = null!;

    public Participant Olga { get; private set; } = null!;

    public Participant Bob { get; private set; } = null!;

    public Participant Carol { get; private set; } = null!;

    public Participant Mallory { get; private set; } = null!;

    public EpochRecord? DialogueRecord { get; private set; }

    public EpochKey? DialogueKey { get; private set; }

    public EpochRecord? ReviewersRecord { get; private set; }

    public EpochKey? ReviewersKey { get; private set; }

    public static async Task<ReviewScenario> CreateAsync(ITestServer host, bool openChannels = true)
    {
        var scenario = new ReviewScenario(host);
        var tag = Guid.NewGuid().ToString("N")[..8];
        scenario.Secretariat = scenario.Own(await Participant.SignInAsync(host, $"sec-{tag}", secretariat: true));
        scenario.Alice = scenario.Own(await Participant.SignInAsync(host, $"alice-{tag}"));
        scenario.Olga = scenario.Own(await Participant.SignInAsync(host, $"olga-{tag}"));
        scenario.Bob = scenario.Own(await Participant.SignInAsync(host, $"bob-{tag}"));
        scenario.Carol = scenario.Own(await Participant.SignInAsync(host, $"carol-{tag}"));
        scenario.Mallory = scenario.Own(await Participant.SignInAsync(host, $"mallory-{tag}"));

        var request = new CreateReview(
            $"Review of AUT {tag}", "AUT", ["FRA", "KEN"], ["en", "fr"],
            [
                new NewMember(scenario.Alice.User, "Alice", "AUT", MemberRole.Expert),
                new NewMember(scenario.Olga.User, "Olga", "AUT", MemberRole.Observer),
                new NewMember(scenario.Bob.User, "Bob", "FRA", MemberRole.Expert),
                new NewMember(scenario.Carol.User, "Carol", "KEN", MemberRole.FocalPoint),
            ]);
        using var created = await scenario.Secretariat.Http.PostAsJsonAsync(HttpRoutes.Reviews, request);
        created.EnsureSuccessStatusCode();
        scenario.ReviewId = (await created.Content.ReadFromJsonAsync<ReviewDetail>())!.ReviewId;

        if (openChannels)
        {
            (scenario.DialogueRecord, scenario.DialogueKey) = EpochRecordBuilder.Genesis(
                scenario.Alice.Device, scenario.ReviewId, ChannelId.Dialogue,
                [
                    new MemberDevice(scenario.Alice.Device.PublicKeys, MayManage: true),
                    new MemberDevice(scenario.Bob.Device.PublicKeys, MayManage: true),
                    new MemberDevice(scenario.Carol.Device.PublicKeys, MayManage: true),
                    new MemberDevice(scenario.Olga.Device.PublicKeys, MayManage: false),
                ],
                DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
            scenario._owned.Add(scenario.DialogueKey);
            using (var response = await scenario.AddEpochAsync(scenario.Alice, "dialogue", scenario.DialogueRecord.Encoded.ToArray()))
            {
                response.EnsureSuccessStatusCode();
            }

            (scenario.ReviewersRecord, scenario.ReviewersKey) = EpochRecordBuilder.Genesis(
                scenario.Bob.Device, scenario.ReviewId, ChannelId.Reviewers,
                [
                    new MemberDevice(scenario.Bob.Device.PublicKeys, MayManage: true),
                    new MemberDevice(scenario.Carol.Device.PublicKeys, MayManage: true),
                ],
                DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
            scenario._owned.Add(scenario.ReviewersKey);
            using (var response = await scenario.AddEpochAsync(scenario.Bob, "reviewers", scenario.ReviewersRecord.Encoded.ToArray()))
            {
                response.EnsureSuccessStatusCode();
            }
        }

        return scenario;
    }

    /// <summary>Seals a text envelope as <paramref name="sender"/> (the epoch key stands in for the sender's unwrapped copy).</summary>
    public static Envelope Seal(Participant sender, EpochKey key, ulong counter, string text = "A request for clarification.", Guid? clientMessageId = null) =>
        EnvelopeSealer.Seal(
            sender.Device, key, counter,
            new EnvelopeDraft
            {
                Review = key.Review,
                Channel = key.Channel,
                Language = LanguageTag.English,
                Segments = [Segment.Text(text)],
                ClientMessageId = clientMessageId,
            },
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000 + (long)counter));

    public Task<HttpResponseMessage> PostEnvelopeAsync(Participant sender, string channel, byte[] envelope, Guid? reviewId = null)
    {
        var review = reviewId ?? ReviewId;
        return sender.Http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review, channel), new SendEnvelope(review, channel, envelope));
    }

    public Task<HttpResponseMessage> PostEnvelopeAsync(Participant sender, Envelope envelope) =>
        PostEnvelopeAsync(sender, envelope.Header.Channel.Value, envelope.Encoded.ToArray());

    public Task<HttpResponseMessage> AddEpochAsync(Participant author, string channel, byte[] record) =>
        author.Http.PostAsJsonAsync(HttpRoutes.EpochsOf(ReviewId, channel), new AddEpochRecord(record));

    public async Task<EnvelopePage> PageAsync(Participant reader, string channel, long after = 0, int? limit = null)
    {
        var url = HttpRoutes.EnvelopesOf(ReviewId, channel) + $"?after={after}" + (limit is null ? string.Empty : $"&limit={limit}");
        return (await reader.Http.GetFromJsonAsync<EnvelopePage>(url))!;
    }

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
