using System.Net;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>Who may post, with which device, in which epoch.</summary>
public abstract partial class EnvelopeAcceptanceTests
{
    [Fact]
    public async Task Post_ByNonMember_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());

        // Act
        using var response = await review.PostEnvelopeAsync(review.Mallory, ReviewScenario.Seal(review.Mallory, review.DialogueKey!, 1));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_ByObserver_Forbidden()
    {
        // Arrange: Olga reads the dialogue (she is listed in its epoch) but observers never post.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());

        // Act
        using var response = await review.PostEnvelopeAsync(review.Olga, ReviewScenario.Seal(review.Olga, review.DialogueKey!, 1));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_MemberOfReviewedStateInReviewersChannel_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.ReviewersKey!, 1));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_EnvelopeFromDeviceOfAnotherAccount_Forbidden()
    {
        // Arrange: Bob relays an envelope Alice's device sealed and signed.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var alices = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1);

        // Act
        using var response = await review.PostEnvelopeAsync(review.Bob, alices);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Empty((await review.PageAsync(review.Bob, "dialogue")).Items);
    }

    [Fact]
    public async Task Post_FromUnregisteredDevice_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        using var unregistered = DeviceIdentity.Create();
        var envelope = Vault.Envelopes.EnvelopeSealer.Seal(
            unregistered, review.DialogueKey!, 1,
            new Vault.Envelopes.EnvelopeDraft
            {
                Review = review.ReviewId,
                Channel = ChannelId.Dialogue,
                Language = Vault.Envelopes.LanguageTag.English,
                Segments = [Vault.Envelopes.Segment.Text("hello")],
            },
            DateTimeOffset.UnixEpoch);

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, envelope);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_TamperedCiphertext_RefusedAsInvalidSignature()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var bytes = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1).Encoded.ToArray();
        bytes[^80] ^= 0x01;

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, "dialogue", bytes);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidSignature);
    }

    [Fact]
    public async Task Post_InOldEpochAfterRotation_RefusedAsStaleEpoch()
    {
        // Arrange: Alice rotates the dialogue to epoch 1.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (next, nextKey) = EpochRecordBuilder.Next(
            review.Alice.Device, review.DialogueRecord!,
            [.. review.DialogueRecord!.Members.Select(m => new MemberDevice(m.Device, m.MayManage))], DateTimeOffset.UnixEpoch.AddDays(1));
        using var key1 = nextKey;
        using (var rotated = await review.AddEpochAsync(review.Alice, "dialogue", next.Encoded.ToArray()))
        {
            Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        }

        // Act
        using var old = await review.PostEnvelopeAsync(review.Bob, ReviewScenario.Seal(review.Bob, review.DialogueKey!, 1));
        using var current = await review.PostEnvelopeAsync(review.Bob, ReviewScenario.Seal(review.Bob, key1, 2));

        // Assert
        await Problems.AssertAsync(old, HttpStatusCode.Conflict, ProblemTypes.StaleEpoch);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task Post_ByMemberRemovedFromCurrentEpoch_RefusedAsStaleEpoch()
    {
        // Arrange: epoch 1 of the dialogue leaves Carol out (a removed member).
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (next, nextKey) = EpochRecordBuilder.Next(
            review.Alice.Device, review.DialogueRecord!,
            [.. review.DialogueRecord!.Members.Where(m => m.Device.Id != review.Carol.Device.Id).Select(m => new MemberDevice(m.Device, m.MayManage))],
            DateTimeOffset.UnixEpoch.AddDays(1));
        using var key1 = nextKey;
        using (var rotated = await review.AddEpochAsync(review.Alice, "dialogue", next.Encoded.ToArray()))
        {
            Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        }

        // Act: Carol still holds the epoch 0 key, and (say) learnt the epoch 1 key.
        using var inOldEpoch = await review.PostEnvelopeAsync(review.Carol, ReviewScenario.Seal(review.Carol, review.DialogueKey!, 1));
        using var inNewEpoch = await review.PostEnvelopeAsync(review.Carol, ReviewScenario.Seal(review.Carol, key1, 2));

        // Assert
        await Problems.AssertAsync(inOldEpoch, HttpStatusCode.Conflict, ProblemTypes.StaleEpoch);
        await Problems.AssertAsync(inNewEpoch, HttpStatusCode.Conflict, ProblemTypes.StaleEpoch);
    }

    [Fact]
    public async Task Post_BeforeTheChannelHasAnEpoch_RefusedAsStaleEpoch()
    {
        // Arrange
        using var opened = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync(), openChannels: false);
        var (_, key) = EpochRecordBuilder.Genesis(
            review.Alice.Device, review.ReviewId, ChannelId.Dialogue, [new MemberDevice(review.Alice.Device.PublicKeys, true)], DateTimeOffset.UnixEpoch);
        using var unpublished = key;

        // Act
        using var response = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, unpublished, 1));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Conflict, ProblemTypes.StaleEpoch);
    }

    [Fact]
    public async Task GetEnvelopes_BySecretariat_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        using var posted = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1));

        // Act
        using var fetch = await review.Secretariat.Http.GetAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        using var post = await review.PostEnvelopeAsync(review.Secretariat, ReviewScenario.Seal(review.Secretariat, review.DialogueKey!, 1));

        // Assert
        await Problems.AssertAsync(fetch, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(post, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task GetEnvelopes_ReviewedStateMemberInReviewersChannel_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());

        // Act
        using var response = await review.Alice.Http.GetAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "reviewers"));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task GetEnvelopes_UnknownChannelOrReview_NotFound()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());

        // Act
        using var channel = await review.Alice.Http.GetAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "gossip"));
        using var other = await review.Alice.Http.GetAsync(HttpRoutes.EnvelopesOf(Guid.NewGuid(), "dialogue"));

        // Assert
        await Problems.AssertAsync(channel, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(other, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task GetEnvelopes_Paged_ReturnsItemsInOrderWithNextUntilTheEnd()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        for (ulong counter = 1; counter <= 5; counter++)
        {
            using var response = await review.PostEnvelopeAsync(review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, counter));
            response.EnsureSuccessStatusCode();
        }

        // Act
        var first = await review.PageAsync(review.Bob, "dialogue", after: 0, limit: 2);
        var second = await review.PageAsync(review.Bob, "dialogue", after: first.Next!.Value, limit: 2);
        var last = await review.PageAsync(review.Bob, "dialogue", after: second.Next!.Value, limit: 2);
        using var badLimit = await review.Bob.Http.GetAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue") + "?limit=501");

        // Assert
        Assert.Equal([1L, 2L], first.Items.Select(i => i.Sequence));
        Assert.Equal([3L, 4L], second.Items.Select(i => i.Sequence));
        Assert.Equal([5L], last.Items.Select(i => i.Sequence));
        Assert.Null(last.Next);
        await Problems.AssertAsync(badLimit, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }

    [Fact]
    public async Task Post_ManyConcurrentSenders_GetEverySequenceExactlyOnce()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var envelopes = Enumerable.Range(1, 8)
            .SelectMany(i => new[] { (review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, (ulong)i)), (review.Bob, ReviewScenario.Seal(review.Bob, review.DialogueKey!, (ulong)i)) })
            .ToList();

        // Act
        var responses = await Task.WhenAll(envelopes.Select(async e =>
        {
            using var response = await review.PostEnvelopeAsync(e.Item1, e.Item2);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        // Assert: counters may arrive out of order under concurrency; every accepted one has a distinct sequence.
        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.OK)
            .Select(r => System.Text.Json.JsonSerializer.Deserialize<SendAck>(r.Body, System.Text.Json.JsonSerializerOptions.Web)!.Sequence)
            .Order()
            .ToList();
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.Body));
        Assert.True(accepted.Count >= 2, "each sender's first envelope is accepted");
        Assert.Equal(Enumerable.Range(1, accepted.Count).Select(i => (long)i), accepted);
        var page = await review.PageAsync(review.Carol, "dialogue");
        Assert.Equal(accepted, page.Items.Select(i => i.Sequence));
    }
}
