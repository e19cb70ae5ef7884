using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>The server keeps each channel's epoch chain in order and refuses what would not extend it.</summary>
public sealed class EpochRecordTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    private static readonly DateTimeOffset s_time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public async Task Get_AfterGenesisAndRotation_ReturnsRecordsInOrderAndChannelInfoFollows()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (next, key) = Rotate(review, review.DialogueRecord!, review.Alice);
        using var _ = key;
        using (var added = await review.AddEpochAsync(review.Alice, "dialogue", next.Encoded.ToArray()))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        // Act
        var all = await review.Olga.Http.GetFromJsonAsync<List<EpochRecordEntry>>(HttpRoutes.EpochsOf(review.ReviewId, "dialogue"));
        var after0 = await review.Bob.Http.GetFromJsonAsync<List<EpochRecordEntry>>(HttpRoutes.EpochsOf(review.ReviewId, "dialogue") + "?after=0");
        var detail = await review.Secretariat.Http.GetFromJsonAsync<ReviewDetail>(HttpRoutes.ReviewOf(review.ReviewId));

        // Assert
        Assert.NotNull(all);
        Assert.Equal([0u, 1u], all.Select(r => r.Epoch));
        Assert.Equal(review.DialogueRecord!.Encoded.ToArray(), all[0].Record);
        Assert.Equal(next.Encoded.ToArray(), Assert.Single(after0!).Record);
        Assert.Equal(1u, detail!.Channels.Single(c => c.Name == "dialogue").CurrentEpoch);
        Assert.Equal(0u, detail.Channels.Single(c => c.Name == "reviewers").CurrentEpoch);
    }

    [Fact]
    public async Task Post_SecondGenesis_EpochConflict()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (again, key) = EpochRecordBuilder.Genesis(review.Alice.Device, review.ReviewId, ChannelId.Dialogue,
            [new MemberDevice(review.Alice.Device.PublicKeys, true)], s_time);
        using var _ = key;

        // Act
        using var response = await review.AddEpochAsync(review.Alice, "dialogue", again.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
    }

    [Fact]
    public async Task Post_SameEpochTwice_SecondIsEpochConflict()
    {
        // Arrange: two managers race for epoch 1.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (byAlice, aliceKey) = Rotate(review, review.DialogueRecord!, review.Alice);
        var (byBob, bobKey) = Rotate(review, review.DialogueRecord!, review.Bob);
        using var k1 = aliceKey;
        using var k2 = bobKey;

        // Act
        using var first = await review.AddEpochAsync(review.Alice, "dialogue", byAlice.Encoded.ToArray());
        using var second = await review.AddEpochAsync(review.Bob, "dialogue", byBob.Encoded.ToArray());

        // Assert
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await Problems.AssertAsync(second, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
    }

    [Fact]
    public async Task Post_NextByMemberWhoMayNotManage_EpochConflict()
    {
        // Arrange: the reviewers' epoch 0 lets only Bob and Carol manage; make an epoch 1 in which Carol may not,
        // then let Carol author epoch 2.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (epoch1, key1) = EpochRecordBuilder.Next(review.Bob.Device, review.ReviewersRecord!,
            [new MemberDevice(review.Bob.Device.PublicKeys, true), new MemberDevice(review.Carol.Device.PublicKeys, false)], s_time);
        using var _ = key1;
        using (var added = await review.AddEpochAsync(review.Bob, "reviewers", epoch1.Encoded.ToArray()))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var (epoch2, key2) = EpochRecordBuilder.Next(review.Carol.Device, epoch1,
            [new MemberDevice(review.Bob.Device.PublicKeys, true), new MemberDevice(review.Carol.Device.PublicKeys, true)], s_time);
        using var __ = key2;

        // Act
        using var response = await review.AddEpochAsync(review.Carol, "reviewers", epoch2.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
    }

    [Fact]
    public async Task Post_RecordNotLinkedToCurrent_EpochConflict()
    {
        // Arrange: an epoch 1 built on a different epoch 0 than the stored one.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (otherGenesis, otherKey) = EpochRecordBuilder.Genesis(review.Alice.Device, review.ReviewId, ChannelId.Dialogue,
            [new MemberDevice(review.Alice.Device.PublicKeys, true), new MemberDevice(review.Bob.Device.PublicKeys, true)], s_time.AddSeconds(1));
        using var k0 = otherKey;
        var (unlinked, key) = Rotate(review, otherGenesis, review.Alice);
        using var k1 = key;

        // Act
        using var response = await review.AddEpochAsync(review.Alice, "dialogue", unlinked.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
    }

    [Fact]
    public async Task Post_GenesisOfDialogueByReviewingState_Forbidden()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync(), openChannels: false);
        var (genesis, key) = EpochRecordBuilder.Genesis(review.Bob.Device, review.ReviewId, ChannelId.Dialogue,
            [new MemberDevice(review.Bob.Device.PublicKeys, true), new MemberDevice(review.Alice.Device.PublicKeys, true)], s_time);
        using var _ = key;

        // Act
        using var response = await review.AddEpochAsync(review.Bob, "dialogue", genesis.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_RecordListingAnOutsidersDevice_Forbidden()
    {
        // Arrange: a ghost member (Mallory's registered device) in the dialogue.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync(), openChannels: false);
        var (genesis, key) = EpochRecordBuilder.Genesis(review.Alice.Device, review.ReviewId, ChannelId.Dialogue,
            [new MemberDevice(review.Alice.Device.PublicKeys, true), new MemberDevice(review.Mallory.Device.PublicKeys, false)], s_time);
        using var _ = key;

        // Act
        using var response = await review.AddEpochAsync(review.Alice, "dialogue", genesis.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_RecordByAnotherAccountsDevice_Forbidden()
    {
        // Arrange: Olga (an observer cannot author) is not used; Carol posts a record Alice's device signed.
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (next, key) = Rotate(review, review.DialogueRecord!, review.Alice);
        using var _ = key;

        // Act
        using var response = await review.AddEpochAsync(review.Carol, "dialogue", next.Encoded.ToArray());

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Post_TamperedOrForeignRecord_RefusedWithTypedProblem()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(await hosts.GetHostAsync());
        var (next, key) = Rotate(review, review.DialogueRecord!, review.Alice);
        using var _ = key;
        var badSignature = next.Encoded.ToArray();
        badSignature[^1] ^= 0x01;

        // Act
        using var tampered = await review.AddEpochAsync(review.Alice, "dialogue", badSignature);
        using var garbage = await review.AddEpochAsync(review.Alice, "dialogue", [1, 2, 3]);
        using var wrongChannel = await review.AddEpochAsync(review.Bob, "reviewers", next.Encoded.ToArray());
        using var observer = await review.AddEpochAsync(review.Olga, "dialogue", next.Encoded.ToArray());
        using var secretariat = await review.Secretariat.Http.GetAsync(HttpRoutes.EpochsOf(review.ReviewId, "dialogue"));

        // Assert
        await Problems.AssertAsync(tampered, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
        await Problems.AssertAsync(garbage, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        await Problems.AssertAsync(wrongChannel, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
        await Problems.AssertAsync(observer, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(secretariat, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    private static (EpochRecord Record, EpochKey Key) Rotate(ReviewScenario review, EpochRecord previous, Participant author) =>
        EpochRecordBuilder.Next(author.Device, previous, [.. previous.Members.Select(m => new MemberDevice(m.Device, m.MayManage))], s_time.AddDays(1));
}
