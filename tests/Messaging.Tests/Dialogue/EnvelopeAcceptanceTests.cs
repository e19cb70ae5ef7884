using System.Net;
using System.Net.Http.Json;
using System.Text;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>What the server accepts into a channel, and every reason it refuses, on each engine.</summary>
public abstract partial class EnvelopeAcceptanceTests(IHostSource hosts)
{
    [Fact]
    public async Task Post_ValidEnvelopesFromTwoMembers_AcknowledgedWithSequencesOneAndTwo()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var first = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1);
        var second = ReviewScenario.Seal(review.Bob, review.DialogueKey!, 1);

        // Act
        var ack1 = await AckAsync(await review.PostEnvelopeAsync(review.Alice, first));
        var ack2 = await AckAsync(await review.PostEnvelopeAsync(review.Bob, second));

        // Assert
        Assert.Equal(new SendAck(1, false), ack1);
        Assert.Equal(new SendAck(2, false), ack2);
        var page = await review.PageAsync(review.Olga, "dialogue");
        Assert.Equal([1L, 2L], page.Items.Select(i => i.Sequence));
        Assert.Equal(first.Encoded.ToArray(), page.Items[0].Envelope);
        Assert.Equal(second.Encoded.ToArray(), page.Items[1].Envelope);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Post_SameClientMessageIdAgain_ReturnsOriginalSequenceAsDuplicateAndStoresOnce()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var messageId = Guid.NewGuid();
        var envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, clientMessageId: messageId);
        var resealed = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, clientMessageId: messageId);
        await AckAsync(await review.PostEnvelopeAsync(review.Bob, ReviewScenario.Seal(review.Bob, review.DialogueKey!, 1)));

        // Act
        var original = await AckAsync(await review.PostEnvelopeAsync(review.Alice, envelope));
        var retry = await AckAsync(await review.PostEnvelopeAsync(review.Alice, envelope));
        var resealedRetry = await AckAsync(await review.PostEnvelopeAsync(review.Alice, resealed));

        // Assert
        Assert.Equal(new SendAck(2, false), original);
        Assert.Equal(new SendAck(2, true), retry);
        Assert.Equal(new SendAck(2, true), resealedRetry);
        var page = await review.PageAsync(review.Bob, "dialogue");
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(envelope.Encoded.ToArray(), page.Items[1].Envelope);
    }

    [Fact]
    public async Task Post_CounterNotAboveSendersLast_RefusedAsReplayedCounter()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        await AckAsync(await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 5)));

        // Act
        using var same = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 5));
        using var lower = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 4));
        var higher = await AckAsync(await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 6)));

        // Assert
        await Problems.AssertAsync(same, HttpStatusCode.Conflict, ProblemTypes.ReplayedCounter);
        await Problems.AssertAsync(lower, HttpStatusCode.Conflict, ProblemTypes.ReplayedCounter);
        Assert.Equal(new SendAck(2, false), higher);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("unknown-version")]
    [InlineData("trailing-byte")]
    [InlineData("empty")]
    public async Task Post_MalformedEnvelope_RefusedAsMalformedEnvelope(string variant)
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var valid = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();
        var bytes = variant switch
        {
            "garbage" => Encoding.UTF8.GetBytes("definitely not an envelope"),
            "truncated" => valid[..(valid.Length / 2)],
            "unknown-version" => [2, .. valid[1..]],
            "trailing-byte" => [.. valid, 0],
            _ => [],
        };

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, "dialogue", bytes);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedEnvelope);
        Assert.Empty((await review.PageAsync(review.Alice, "dialogue")).Items);
    }

    [Fact]
    public async Task Post_EnvelopeOneByteOverTheLimit_RefusedAsMalformedEnvelope()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var bytes = new byte[Envelope.MaxEncodedSize + 1];

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, "dialogue", bytes);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedEnvelope);
    }

    [Fact]
    public async Task Post_BodyFarOverTheLimit_RefusedAsMalformedEnvelopeWith413()
    {
        // Arrange: the body's length announced and "Expect: 100-continue", so the client sends nothing before the server
        // has looked at the length. Streamed without them, the server's early 413 and close race the client still
        // writing megabytes, which then sees a broken pipe instead of the answer.
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var bytes = new byte[3 * Envelope.MaxEncodedSize];
        using var content = JsonContent.Create(new SendEnvelope(review.ReviewId, "dialogue", bytes));
        await content.LoadIntoBufferAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue")) { Content = content };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", review.Alice.Token);
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = host.BaseAddress };

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.MalformedEnvelope);
    }

    [Fact]
    public async Task Post_BodyThatIsNotJson_RefusedAsMalformedEnvelope()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        using var content = new StringContent("{\"envelope\": \"not base64!\"", Encoding.UTF8, "application/json");

        // Act
        using var response = await review.Alice.Http.PostAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), content);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedEnvelope);
    }

    [Fact]
    public async Task Post_EnvelopeOfAnotherChannel_RefusedAsWrongContext()
    {
        // Arrange: Bob reads both channels; an envelope sealed for "reviewers" is posted to "dialogue".
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var forReviewers = ReviewScenario.Seal(review.Bob, review.ReviewersKey!, 1);

        // Act
        using var response = await review.PostEnvelopeAsync(review.Bob, "dialogue", forReviewers.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
    }

    [Fact]
    public async Task Post_EnvelopeOfAnotherReview_RefusedAsWrongContext()
    {
        // Arrange: an envelope sealed for another review's dialogue, delivered into this one.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (_, otherKey) = EpochRecordBuilder.Genesis(
            review.Alice.Device, Guid.NewGuid(), ChannelId.Dialogue, [new MemberDevice(review.Alice.Device.PublicKeys, true)], DateTimeOffset.UnixEpoch);
        using var key = otherKey;
        var foreign = ReviewScenario.Seal(review.Alice, key, 1);

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, "dialogue", foreign.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
    }

    [Fact]
    public async Task Post_BodyNamingAnotherChannelThanTheRoute_RefusedAsWrongContext()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();

        // Act
        using var response = await review.Alice.Http.PostAsJsonAsync(
            HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "reviewers", envelope));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
    }

    [Fact]
    public async Task Logs_AfterAcceptedAndRefusedEnvelopes_HoldIdsOnlyAndNoErrors()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        const string marker = "PLAINTEXT-MARKER-7f3a";
        var envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, marker).Encoded.ToArray();

        // Act
        using var accepted = await review.PostEnvelopeAsync(review.Alice, "dialogue", envelope);
        using var retried = await review.PostEnvelopeAsync(review.Alice, "dialogue", envelope);
        using var refused = await review.PostEnvelopeAsync(review.Bob, "dialogue", envelope);

        // Assert
        var entries = host.Logs.Entries;
        var base64 = Convert.ToBase64String(envelope.AsSpan(0, 48));
        var hex = Convert.ToHexString(envelope.AsSpan(0, 24));
        Assert.Contains(entries, e => e.EventId.Id == 501 && e.Message.Contains(review.ReviewId.ToString(), StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EventId.Id == 502);
        Assert.Contains(entries, e => e.EventId.Id == 503 && e.Message.Contains("forbidden", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Message.Contains(marker, StringComparison.Ordinal) ||
            e.Message.Contains(base64, StringComparison.Ordinal) || e.Message.Contains(hex, StringComparison.OrdinalIgnoreCase) ||
            e.Message.Contains(review.Alice.Token, StringComparison.Ordinal) || e.Message.Contains(review.Alice.User, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static async Task<SendAck> AckAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            return System.Text.Json.JsonSerializer.Deserialize<SendAck>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        }
    }
}

public sealed class EnvelopeAcceptanceSqliteTests(SqliteHostFixture hosts) : EnvelopeAcceptanceTests(hosts), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class EnvelopeAcceptancePostgresTests(PostgresFixture postgres) : EnvelopeAcceptanceTests(new PostgresHostSource(postgres));
