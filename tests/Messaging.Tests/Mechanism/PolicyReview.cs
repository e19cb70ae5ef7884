using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Tests.Mechanism;

/// <summary>
/// A review of AUT (reviewing FRA and KEN) with a focal point for AUT, an AUT expert and a FRA expert, its dialogue
/// channel open, and envelopes whose plaintext holds <see cref="Marker"/>: what the secretariat's views may and may
/// not show is checked against it.
/// </summary>
public sealed class PolicyReview : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private EpochKey _key = null!;
    private ulong _counter;

    private PolicyReview(ITestServer host) => Host = host;

    public ITestServer Host { get; }

    public Guid ReviewId { get; private set; }

    /// <summary>Text inside every envelope's plaintext: must never reach a secretariat view.</summary>
    public string Marker { get; } = "CONTENT-MARKER-" + Guid.NewGuid().ToString("N")[..12];

    public Participant Secretariat { get; private set; } = null!;

    /// <summary>The focal point of AUT, the State under review.</summary>
    public Participant FocalPoint { get; private set; } = null!;

    public Participant ExpertAut { get; private set; } = null!;

    public Participant ExpertFra { get; private set; } = null!;

    public static async Task<PolicyReview> CreateAsync(ITestServer host)
    {
        var world = new PolicyReview(host);
        var tag = Guid.NewGuid().ToString("N")[..8];
        world.Secretariat = world.Own(await Participant.SignInAsync(host, $"sec-{tag}", secretariat: true));
        world.FocalPoint = world.Own(await Participant.SignInAsync(host, $"fp-aut-{tag}"));
        world.ExpertAut = world.Own(await Participant.SignInAsync(host, $"person-aut-{tag}"));
        world.ExpertFra = world.Own(await Participant.SignInAsync(host, $"person-fra-{tag}"));
        var request = new CreateReview(
            $"Review of AUT {tag}", "AUT", ["FRA", "KEN"], ["en"],
            [
                new NewMember(world.FocalPoint.User, "FP AUT", "AUT", MemberRole.FocalPoint),
                new NewMember(world.ExpertAut.User, "Expert AUT", "AUT", MemberRole.Expert),
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
            ],
            DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        world._key = key;
        world._owned.Add(key);
        using (var response = await world.ExpertAut.Http.PostAsJsonAsync(HttpRoutes.EpochsOf(world.ReviewId, "dialogue"), new AddEpochRecord(record.Encoded.ToArray())))
        {
            response.EnsureSuccessStatusCode();
        }

        await world.PostAsync(world.ExpertAut);
        await world.PostAsync(world.ExpertFra);
        return world;
    }

    /// <summary>Posts an envelope whose plaintext holds the marker.</summary>
    public async Task PostAsync(Participant sender)
    {
        var envelope = ReviewScenario.Seal(sender, _key, ++_counter, $"Question on article 5 {Marker}");
        using var response = await sender.Http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(ReviewId, "dialogue"), new SendEnvelope(ReviewId, "dialogue", envelope.Encoded.ToArray()));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The focal point signs and sets a policy; returns the response.</summary>
    public Task<HttpResponseMessage> SetPolicyAsync(uint version, MetadataLevel level, IReadOnlyList<string>? channels = null, Participant? signer = null)
    {
        var by = signer ?? FocalPoint;
        var statement = DisclosurePolicyCodec.Sign(new DisclosurePolicy(ReviewId, version, level, channels ?? [], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + version)), by.Device);
        return by.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(ReviewId), new SetPolicy(statement.Encoded));
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
