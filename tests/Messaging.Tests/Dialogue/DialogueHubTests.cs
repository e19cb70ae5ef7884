using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>The hub over real WebSockets, with the SDK's connection factory and SignalR's own client.</summary>
public sealed class DialogueHubTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_ThroughHub_OtherMemberGetsDoorbellAndFetchesIdenticalBytes()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await ConnectAsync(host, review.Alice);
        await using var bob = await ConnectAsync(host, review.Bob);
        var rang = new TaskCompletionSource<EnvelopeNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, notice => rang.TrySetResult(notice));
        var joined = await bob.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
        await alice.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
        var envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, "Please clarify article 5.").Encoded.ToArray();

        // Act
        var ack = await alice.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", envelope));
        var notice = await rang.Task.WaitAsync(s_wait);
        var page = await review.PageAsync(review.Bob, "dialogue", after: notice.Sequence - 1);

        // Assert
        Assert.Equal(["dialogue", "reviewers"], joined.Channels);
        Assert.Equal(new SendAck(1, false), ack);
        Assert.Equal(new EnvelopeNotice(review.ReviewId, "dialogue", 1), notice);
        Assert.Equal(envelope, Assert.Single(page.Items).Envelope);
    }

    [Fact]
    public async Task Send_ThroughHubAndHttp_ShareOneSequenceAndIdempotency()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await ConnectAsync(host, review.Alice);
        var envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();

        // Act
        var viaHub = await alice.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", envelope));
        using var viaHttp = await review.PostEnvelopeAsync(review.Alice, "dialogue", envelope);
        var retry = await viaHttp.Content.ReadFromJsonAsync<SendAck>();

        // Assert
        Assert.Equal(new SendAck(1, false), viaHub);
        Assert.Equal(new SendAck(1, true), retry);
    }

    [Fact]
    public async Task Send_RefusedEnvelopes_HubExceptionsCarryTheProblemCode()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await ConnectAsync(host, review.Alice);
        await using var olga = await ConnectAsync(host, review.Olga);
        var valid = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();
        await alice.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", valid));

        // Act
        var malformed = await Refusal(alice, new SendEnvelope(review.ReviewId, "dialogue", [1, 2, 3]));
        var oversized = await Refusal(alice, new SendEnvelope(review.ReviewId, "dialogue", new byte[Envelope.MaxEncodedSize + 1]));
        var replayed = await Refusal(alice, new SendEnvelope(review.ReviewId, "dialogue", ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray()));
        var wrongContext = await Refusal(alice, new SendEnvelope(review.ReviewId, "reviewers", valid));
        var observer = await Refusal(olga, new SendEnvelope(review.ReviewId, "dialogue", ReviewScenario.Seal(review.Olga, review.DialogueKey!, 1).Encoded.ToArray()));
        var unknownReview = await Refusal(alice, new SendEnvelope(Guid.NewGuid(), "dialogue", valid));

        // Assert
        Assert.Equal("malformed-envelope", malformed);
        Assert.Equal("malformed-envelope", oversized);
        Assert.Equal("replayed-counter", replayed);
        Assert.Equal("forbidden", wrongContext);
        Assert.Equal("forbidden", observer);
        Assert.Equal("not-found", unknownReview);
        Assert.Equal(HubConnectionState.Connected, alice.State);
    }

    [Fact]
    public async Task JoinReview_ByOutsider_Forbidden_BySecretariat_JoinsNoChannel()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var mallory = await ConnectAsync(host, review.Mallory);
        await using var secretariat = await ConnectAsync(host, review.Secretariat);
        var secretariatRang = 0;
        secretariat.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, _ => Interlocked.Increment(ref secretariatRang));

        // Act
        var outsider = await Assert.ThrowsAsync<HubException>(() => mallory.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId));
        var staff = await secretariat.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
        using (var posted = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1)))
        {
            posted.EnsureSuccessStatusCode();
        }

        await Task.Delay(300);

        // Assert
        Assert.Equal("forbidden", DialogueHubContract.ErrorCodeOf(outsider.Message));
        Assert.Empty(staff.Channels);
        Assert.Equal(0, secretariatRang);
    }

    [Fact]
    public async Task Doorbells_GoOnlyToTheChannelsReaders()
    {
        // Arrange: Alice (reviewed State) does not read "reviewers"; Carol does.
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await ConnectAsync(host, review.Alice);
        await using var carol = await ConnectAsync(host, review.Carol);
        var aliceNotices = new ConcurrentQueue<EnvelopeNotice>();
        var carolGotIt = new TaskCompletionSource<EnvelopeNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, aliceNotices.Enqueue);
        carol.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, n => carolGotIt.TrySetResult(n));
        var aliceJoined = await alice.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
        await carol.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);

        // Act
        using (var posted = await review.PostEnvelopeAsync(review.Bob, ReviewScenario.Seal(review.Bob, review.ReviewersKey!, 1)))
        {
            posted.EnsureSuccessStatusCode();
        }

        var notice = await carolGotIt.Task.WaitAsync(s_wait);
        await Task.Delay(300);

        // Assert
        Assert.Equal(["dialogue"], aliceJoined.Channels);
        Assert.Equal("reviewers", notice.Channel);
        Assert.Empty(aliceNotices);
    }

    [Fact]
    public async Task AddEpoch_OverHttp_ReadersGetEpochAddedDoorbell()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var olga = await ConnectAsync(host, review.Olga);
        var rang = new TaskCompletionSource<EpochNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        olga.On<EpochNotice>(DialogueHubContract.EpochAdded, notice => rang.TrySetResult(notice));
        await olga.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
        var (next, key) = Vault.Channels.EpochRecordBuilder.Next(review.Alice.Device, review.DialogueRecord!,
            [.. review.DialogueRecord!.Members.Select(m => new Vault.Channels.MemberDevice(m.Device, m.MayManage))], DateTimeOffset.UnixEpoch);
        using var _ = key;

        // Act
        using (var added = await review.AddEpochAsync(review.Alice, "dialogue", next.Encoded.ToArray()))
        {
            added.EnsureSuccessStatusCode();
        }

        var notice = await rang.Task.WaitAsync(s_wait);

        // Assert
        Assert.Equal(new EpochNotice(review.ReviewId, "dialogue", 1), notice);
    }

    [Fact]
    public async Task Connect_WithTokenInQueryString_Works()
    {
        // Arrange: what browsers and @microsoft/signalr do.
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var url = new Uri($"{host.HubUrl}?access_token={Uri.EscapeDataString(review.Alice.Token)}");
        await using var connection = new HubConnectionBuilder().WithWebSocketUrl(url).Build();

        // Act
        await connection.StartAsync();
        var joined = await connection.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);

        // Assert
        Assert.Equal(["dialogue"], joined.Channels);
    }

    [Fact]
    public async Task Connect_WithoutValidToken_Refused()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        await using var anonymous = new HubConnectionBuilder().WithWebSocketUrl(host.HubUrl).Build();
        await using var forged = new HubConnectionBuilder().WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>("not.a.token")).Build();

        // Act and assert
        await Assert.ThrowsAsync<WebSocketException>(() => anonymous.StartAsync());
        await Assert.ThrowsAsync<WebSocketException>(() => forged.StartAsync());
    }

    [Fact]
    public async Task Stop_ClosesTheConnectionCleanly()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var connection = await ConnectAsync(host, review.Alice);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };

        // Act
        await connection.StopAsync();
        var error = await closed.Task.WaitAsync(s_wait);
        await connection.DisposeAsync();

        // Assert
        Assert.Null(error);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Send_FuzzedEnvelopes_EachRefusedWithACodeAndTheConnectionSurvives()
    {
        // Arrange: random bytes, and single-bit flips anywhere in a valid envelope (header, length, ciphertext, signature).
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await ConnectAsync(host, review.Alice);
        var valid = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();
        var random = new Random(3);
        var inputs = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            inputs.Add(bytes);
        }

        for (var i = 0; i < 60; i++)
        {
            var flipped = (byte[])valid.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            inputs.Add(flipped);
        }

        var known = new HashSet<string> { "malformed-envelope", "wrong-context", "forbidden", "invalid-signature", "stale-epoch", "replayed-counter", "not-found" };

        // Act
        var codes = new List<string>();
        foreach (var input in inputs)
        {
            try
            {
                await alice.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", input));
                codes.Add("accepted");
            }
            catch (HubException e)
            {
                codes.Add(DialogueHubContract.ErrorCodeOf(e.Message));
            }
        }

        var afterwards = await alice.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", valid));

        // Assert: a flipped bit is never accepted as it is (no two signed envelopes differ by one bit).
        Assert.All(codes, code => Assert.Contains(code, known));
        Assert.Equal(new SendAck(1, false), afterwards);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static async Task<HubConnection> ConnectAsync(MessagingHost host, Participant participant)
    {
        var connection = new HubConnectionBuilder()
            .WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(participant.Token))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task<string> Refusal(HubConnection connection, SendEnvelope request)
    {
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendAck>(DialogueHubContract.Send, request));
        return DialogueHubContract.ErrorCodeOf(error.Message);
    }
}
