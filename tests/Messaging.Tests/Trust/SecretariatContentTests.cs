using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Client;
using SecureDialogue.Client.Transport;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Tests.Trust;

/// <summary>
/// Disclosure policy point 4 end to end, SDK against the real server on both engines: the secretariat reads a channel's
/// content only while the policy of the State under review names it and that State's focal point certified its device
/// (docs/protocol.md 19.1, 20.5); otherwise it gets no key and the server refuses its reads; it never posts.
/// </summary>
public abstract class SecretariatContentTests
{
    protected abstract Task<MessagingHost> StartHostAsync();

    [Fact]
    public async Task PolicyNamesDialogue_SecretariatDecrypts_WithdrawnRotatesItOutAndServerRefuses()
    {
        // Arrange: AUT's focal point publishes its root, certifies the secretariat's device, names "dialogue".
        await using var host = await StartHostAsync();
        await using var world = await World.CreateAsync(host);
        await world.CertifySecretariatAsync();
        await world.SetPolicyAsync(1, ["dialogue"]);

        // Act: the focal point opens the channel and writes; the secretariat opens and reads.
        var fp = await world.FocalPoint.OpenAsync(world.ReviewId);
        Assert.True((await fp.SendAsync("Translation needed: article 5")).IsSuccess);
        var sec = await world.Secretariat.OpenAsync(world.ReviewId);
        var read = await sec.ReadAsync();
        using var post = await world.Secretariat.Http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(world.ReviewId, "dialogue"), new SendEnvelope(world.ReviewId, "dialogue", [1, 2, 3]));

        // Assert: keys for the secretariat's device (reader, never manager), content decrypted, no posting.
        Assert.Contains(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        Assert.True(read.IsSuccess);
        Assert.Contains(read.Value, i => i.HasContent && i.Text == "Translation needed: article 5");
        Assert.False(sec.CanPost);
        await Problems.AssertAsync(post, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);

        // Act: the policy withdraws the channel; the focal point's client rotates the secretariat out.
        await world.SetPolicyAsync(2, []);
        Assert.Null(await fp.RefreshAsync());
        Assert.True((await fp.SendAsync("Not for the secretariat")).IsSuccess);
        using var envelopes = await world.Secretariat.Http.GetAsync(HttpRoutes.EnvelopesOf(world.ReviewId, "dialogue"));
        using var epochs = await world.Secretariat.Http.GetAsync(HttpRoutes.EpochsOf(world.ReviewId, "dialogue"));

        // Assert
        Assert.Equal(1u, fp.CurrentEpoch);
        Assert.DoesNotContain(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        await Problems.AssertAsync(envelopes, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(epochs, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task NoPolicy_SecretariatGetsNoKeyAndTheServerRefusesItsReads()
    {
        // Arrange: the secretariat's device is even certified, but the policy (default) names no channel.
        await using var host = await StartHostAsync();
        await using var world = await World.CreateAsync(host);
        await world.CertifySecretariatAsync();

        // Act
        var fp = await world.FocalPoint.OpenAsync(world.ReviewId);
        Assert.True((await fp.SendAsync("Internal draft")).IsSuccess);
        var opened = await world.Secretariat.Client.OpenChannelAsync(world.ReviewId, "dialogue");
        using var envelopes = await world.Secretariat.Http.GetAsync(HttpRoutes.EnvelopesOf(world.ReviewId, "dialogue"));
        using var epochs = await world.Secretariat.Http.GetAsync(HttpRoutes.EpochsOf(world.ReviewId, "dialogue"));

        // Assert
        Assert.DoesNotContain(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        Assert.False(opened.IsSuccess);
        Assert.Equal(OpenErrorKind.NotAReader, opened.Error.Kind);
        await Problems.AssertAsync(envelopes, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(epochs, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task PolicyNamesDialogue_UncertifiedSecretariatDeviceGetsNoKey_AndOnlyTheReviewedStateCertifiesIt()
    {
        // Arrange: the policy names "dialogue" but nobody certified the secretariat's device; FRA's focal point tries.
        await using var host = await StartHostAsync();
        await using var world = await World.CreateAsync(host);
        await world.SetPolicyAsync(1, ["dialogue"]);

        // Act
        var fp = await world.FocalPoint.OpenAsync(world.ReviewId);
        var byFra = await world.FocalPointFra.Client.CertifyAsync(world.ReviewId, world.Secretariat.Device.PublicKeys, world.Secretariat.AccountId, CertifiedRole.Secretariat);
        using var record = await world.Secretariat.Http.GetAsync(HttpRoutes.EpochsOf(world.ReviewId, "dialogue"));

        // Assert: the server lets the secretariat fetch (the policy names the channel) but no epoch wraps a key to it.
        Assert.DoesNotContain(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
        Assert.False(byFra.IsSuccess);
        Assert.Equal(ProblemTypes.Forbidden, byFra.Error.Api?.Type);
    }

    [Fact]
    public async Task TrustDoorbell_RevocationAndPolicy_RingJoinedMembersOverSignalRAndTheSdkRotatesWithoutPolling()
    {
        // Arrange: the secretariat reads "dialogue"; FRA's focal point listens on a raw SignalR connection; AUT's
        // focal point's session polls only every ten minutes, so only the doorbell can make it rotate in time.
        await using var host = await StartHostAsync();
        await using var world = await World.CreateAsync(host);
        await world.CertifySecretariatAsync();
        await world.SetPolicyAsync(1, ["dialogue"]);
        var fp = await world.FocalPoint.OpenAsync(world.ReviewId);
        Assert.Contains(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        await using var listener = new HubConnectionBuilder()
            .WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(world.FocalPointFra.Token))
            .Build();
        var notices = new System.Collections.Concurrent.ConcurrentQueue<TrustNotice>();
        listener.On<TrustNotice>(DialogueHubContract.TrustChanged, notices.Enqueue);
        await listener.StartAsync();
        var joined = await listener.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, world.ReviewId);

        // Act: AUT's focal point revokes the secretariat's device (as lost), then changes the metadata level.
        var revoked = await world.FocalPoint.Client.RevokeAsync(world.ReviewId, world.Secretariat.Device.Id, RevocationReason.Lost);
        Assert.True(revoked.IsSuccess);
        var rotated = await Eventually(() => fp.CurrentEpoch == 1);
        await world.SetPolicyAsync(2, ["dialogue"]);
        var rang = await Eventually(() => notices.Count >= 2);

        // Assert
        Assert.Equal(["dialogue", "reviewers"], joined.Channels);
        Assert.True(rotated, "the focal point's session did not rotate after the revocation's doorbell");
        Assert.DoesNotContain(fp.CurrentMembers, m => m.AccountId == world.Secretariat.AccountId);
        Assert.True(rang);
        Assert.Equal([TrustNoticeKinds.Statement, TrustNoticeKinds.Policy], notices.Select(n => n.Kind).Take(2));
        Assert.All(notices, n => Assert.Equal(world.ReviewId, n.ReviewId));
    }

    [Fact]
    public async Task PolicyWithdrawsChannel_OpenSecretariatConnectionStopsRinging_MemberStillRings_RenamedRingsAgain()
    {
        // Arrange: the policy names "dialogue"; the secretariat and FRA's focal point each join on a raw SignalR connection.
        await using var host = await StartHostAsync();
        await using var world = await World.CreateAsync(host);
        await world.CertifySecretariatAsync();
        await world.SetPolicyAsync(1, ["dialogue"]);
        var fp = await world.FocalPoint.OpenAsync(world.ReviewId);
        var secretariatRang = new System.Collections.Concurrent.ConcurrentQueue<EnvelopeNotice>();
        var memberRang = new System.Collections.Concurrent.ConcurrentQueue<EnvelopeNotice>();
        var secretariat = new HubConnectionBuilder().WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(world.Secretariat.Token)).Build();
        await using var member = new HubConnectionBuilder().WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(world.FocalPointFra.Token)).Build();
        secretariat.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, secretariatRang.Enqueue);
        member.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, memberRang.Enqueue);
        await secretariat.StartAsync();
        await member.StartAsync();
        var joined = await secretariat.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, world.ReviewId);
        await member.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, world.ReviewId);
        var subscriptions = host.Services.GetRequiredService<SecureDialogue.Messaging.Dialogue.HubSubscriptions>();

        // Act: one message while the policy names the channel.
        Assert.True((await fp.SendAsync("Before the withdrawal")).IsSuccess);
        var bothRang = await Eventually(() => secretariatRang.Count == 1 && memberRang.Count == 1);

        // Act: the policy withdraws the channel; the secretariat's connection stays open; the focal point writes again.
        await world.SetPolicyAsync(2, []);
        Assert.Null(await fp.RefreshAsync());
        Assert.True((await fp.SendAsync("After the withdrawal")).IsSuccess);
        var memberRangAgain = await Eventually(() => memberRang.Count == 2);
        await Task.Delay(500); // time for a doorbell that should not come

        // Assert: the member heard both; the secretariat only the first.
        Assert.Equal(["dialogue"], joined.Channels);
        Assert.True(bothRang, "both connections should ring while the policy names the channel");
        Assert.True(memberRangAgain);
        var missed = memberRang.Last();
        Assert.Single(secretariatRang);
        Assert.DoesNotContain(secretariatRang, n => n.Sequence == missed.Sequence);

        // Act: the policy names the channel again; the same connection, without joining again, hears the next one.
        await world.SetPolicyAsync(3, ["dialogue"]);
        Assert.Null(await fp.RefreshAsync());
        Assert.True((await fp.SendAsync("Named again")).IsSuccess);
        var renamedRang = await Eventually(() => secretariatRang.Count == 2);

        // Assert, then the connection closes and its subscription is forgotten.
        Assert.True(renamedRang, "the secretariat's connection should ring again once the policy names the channel");
        Assert.Equal(1, subscriptions.Count(world.ReviewId));
        await secretariat.DisposeAsync();
        Assert.True(await Eventually(() => subscriptions.Count(world.ReviewId) == 0));
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        return condition();
    }

    private sealed class World : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];

        public Guid ReviewId { get; private set; }

        public SdkParticipant Secretariat { get; private set; } = null!;

        public SdkParticipant FocalPoint { get; private set; } = null!;

        public SdkParticipant FocalPointFra { get; private set; } = null!;

        public static async Task<World> CreateAsync(MessagingHost host)
        {
            var world = new World();
            var tag = Guid.NewGuid().ToString("N")[..8];
            world.Secretariat = world.Own(await SdkParticipant.SignInAsync(host, $"sec-{tag}", secretariat: true));
            world.FocalPoint = world.Own(await SdkParticipant.SignInAsync(host, $"fp-aut-{tag}"));
            world.FocalPointFra = world.Own(await SdkParticipant.SignInAsync(host, $"fp-fra-{tag}"));
            var request = new CreateReview($"Review of AUT {tag}", "AUT", ["FRA", "KEN"], ["en"],
            [
                new NewMember(world.FocalPoint.User, "FP AUT", "AUT", MemberRole.FocalPoint),
                new NewMember(world.FocalPointFra.User, "FP FRA", "FRA", MemberRole.FocalPoint),
            ]);
            using var created = await world.Secretariat.Http.PostAsJsonAsync(HttpRoutes.Reviews, request);
            created.EnsureSuccessStatusCode();
            world.ReviewId = (await created.Content.ReadFromJsonAsync<ReviewDetail>())!.ReviewId;

            // Both focal points publish their roots (sdlg members does the same).
            Assert.True((await world.FocalPoint.Client.GetMembersAsync(world.ReviewId)).IsSuccess);
            Assert.True((await world.FocalPointFra.Client.GetMembersAsync(world.ReviewId)).IsSuccess);
            return world;
        }

        /// <summary>AUT's focal point (the State under review) certifies the secretariat member's device for the secretariat.</summary>
        public async Task CertifySecretariatAsync()
        {
            var certified = await FocalPoint.Client.CertifyAsync(ReviewId, Secretariat.Device.PublicKeys, Secretariat.AccountId, CertifiedRole.Secretariat);
            Assert.True(certified.IsSuccess, certified.IsSuccess ? null : certified.Error.Message);
        }

        public async Task SetPolicyAsync(uint version, IReadOnlyList<string> channels)
        {
            var statement = DisclosurePolicyCodec.Sign(
                new DisclosurePolicy(ReviewId, version, MetadataLevel.PerState, channels, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + version)), FocalPoint.Device);
            var set = await FocalPoint.Client.Api.SetPolicyAsync(ReviewId, statement.Encoded);
            Assert.True(set.IsSuccess, set.IsSuccess ? null : set.Error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }

        private SdkParticipant Own(SdkParticipant participant)
        {
            _owned.Add(participant);
            return participant;
        }
    }
}

/// <summary>A signed-in person with a registered device, an HTTP client and a <see cref="DialogueClient"/> on its own profile.</summary>
internal sealed class SdkParticipant : IAsyncDisposable
{
    private readonly List<ChannelSession> _sessions = [];
    private readonly TempDirectory _profile;

    private SdkParticipant(string user, string token, HttpClient http, DeviceIdentity device, DialogueClient client, Guid accountId, TempDirectory profile)
    {
        _profile = profile;
        Token = token;
        User = user;
        Http = http;
        Device = device;
        Client = client;
        AccountId = accountId;
    }

    public string User { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    public DeviceIdentity Device { get; }

    public DialogueClient Client { get; }

    public Guid AccountId { get; }

    public static async Task<SdkParticipant> SignInAsync(MessagingHost host, string user, bool secretariat = false)
    {
        var token = await host.TokenAsync(user, secretariat);
        var device = DeviceIdentity.Create();
        var profile = new TempDirectory();
        var client = new DialogueClient(new DialogueClientOptions
        {
            ServerUri = host.BaseAddress,
            Device = device,
            ProfileDirectory = profile.Path,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100)],
            HttpTimeout = TimeSpan.FromSeconds(20),
            WatchPollInterval = TimeSpan.FromMinutes(10),
        });
        Assert.True((await client.RegisterDeviceAsync()).IsSuccess);
        var me = await client.GetMeAsync();
        return new SdkParticipant(user, token, host.ClientWith(token), device, client, me.Value!.AccountId, profile);
    }

    public async Task<ChannelSession> OpenAsync(Guid reviewId, string channel = "dialogue")
    {
        var opened = await Client.OpenChannelAsync(reviewId, channel);
        Assert.True(opened.IsSuccess, opened.IsSuccess ? null : $"open failed: {opened.Error}");
        _sessions.Add(opened.Value);
        return opened.Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        await Client.DisposeAsync();
        Http.Dispose();
        Device.Dispose();
        _profile.Dispose();
    }
}

public sealed class SecretariatContentSqliteTests : SecretariatContentTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class SecretariatContentPostgresTests(PostgresFixture postgres) : SecretariatContentTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}
