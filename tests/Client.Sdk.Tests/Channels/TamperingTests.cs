using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Channels;

/// <summary>Security bar 1 (envelopes), 3, 4 and 5 against the scriptable server.</summary>
public sealed class TamperingTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync() => _f = await DialogueFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task ReadAsync_EveryByteOfAStoredItemFlipped_NeverShowsContentAndReportsATypedProblem()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("secret marker 7f3a")).IsSuccess);
        var original = _f.Server.Items(_f.ReviewId, "dialogue")[0].Bytes;
        for (var i = 0; i < original.Length; i++)
        {
            var copy = (byte[])original.Clone();
            copy[i] ^= 0x01;
            _f.Server.Inject(_f.ReviewId, "dialogue", copy);
        }

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert: the genuine item opens; each of the flipped copies is refused with an opener error.
        var tampered = items.Where(i => i.Sequence > 1).ToList();
        Assert.Equal(original.Length, tampered.Count);
        Assert.All(tampered, item =>
        {
            Assert.False(item.HasContent);
            Assert.Null(item.Text);
            Assert.Null(item.Segments);
            Assert.NotNull(item.Error);
            Assert.Null(item.Sender);
        });
        Assert.Equal("secret marker 7f3a", items.Single(i => i.Sequence == 1).Text);
        Assert.Contains(tampered, i => i.Status == DialogueItemStatus.Invalid);
        Assert.Contains(tampered, i => i.Status == DialogueItemStatus.Malformed);
    }

    [Fact]
    public async Task ReadAsync_ServerReplaysAnItem_ShownAsReplayedWithoutContent()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("first");
        await ana.SendAsync("second");
        Assert.Equal(2, (await Participant.ReadAllAsync(ben)).Count);

        // Act
        var replayed = _f.Server.Inject(_f.ReviewId, "dialogue", _f.Server.Items(_f.ReviewId, "dialogue")[0].Bytes);
        var items = await Participant.ReadAllAsync(ben, since: 2);

        // Assert
        var item = Assert.Single(items);
        Assert.Equal(replayed, item.Sequence);
        Assert.Equal(DialogueItemStatus.Replayed, item.Status);
        Assert.False(item.HasContent);
        Assert.Null(item.Text);
    }

    [Fact]
    public async Task ReadAsync_ReplayAfterRestart_StillShownAsReplayed()
    {
        // Arrange: Ben reads, then restarts his client on the same profile and device.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("only once");
        await Participant.ReadAllAsync(ben);
        await using var restarted = await _f.Ben.RestartAsync(_f.Server);
        var session = await restarted.OpenAsync(_f.ReviewId);

        // Act
        _f.Server.Inject(_f.ReviewId, "dialogue", _f.Server.Items(_f.ReviewId, "dialogue")[0].Bytes);
        var items = await Participant.ReadAllAsync(session, since: 1);

        // Assert
        Assert.Equal(DialogueItemStatus.Replayed, Assert.Single(items).Status);
    }

    [Fact]
    public async Task ReadAsync_ServerDropsAnItem_MissingItemsShownThenLateWhenDelivered()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await ana.SendAsync("two");
        await ana.SendAsync("three");
        _f.Server.Script.HiddenSequences.Add(2);

        // Act
        var items = await Participant.ReadAllAsync(ben);
        _f.Server.Script.HiddenSequences.Clear();
        var again = await Participant.ReadAllAsync(ben);

        // Assert: a sequence gap and a counter gap are reported; nothing is silently skipped.
        Assert.Equal(["one", "two", "three"], again.Where(i => i.HasContent).Select(i => i.Text));
        Assert.Collection(items,
            i => Assert.Equal(DialogueItemStatus.Verified, i.Status),
            i => Assert.Equal((DialogueItemStatus.Missing, MissingSource.Sequence, 1UL, 2L), (i.Status, i.MissingSource!.Value, i.MissingCount, i.Sequence)),
            i => Assert.Equal((DialogueItemStatus.Missing, MissingSource.SenderCounter, 1UL), (i.Status, i.MissingSource!.Value, i.MissingCount)),
            i => Assert.Equal((DialogueItemStatus.Verified, "three"), (i.Status, i.Text)));
        Assert.Equal(DialogueItemStatus.Late, again.Single(i => i.Sequence == 2 && i.Status != DialogueItemStatus.Missing).Status);
    }

    [Fact]
    public async Task ReadAsync_ServerReordersItems_GapThenLateReported()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await ana.SendAsync("two");
        await ana.SendAsync("three");
        _f.Server.Swap(_f.ReviewId, "dialogue", 2, 3);

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.Collection(items,
            i => Assert.Equal((DialogueItemStatus.Verified, "one"), (i.Status, i.Text)),
            i => Assert.Equal((DialogueItemStatus.Missing, 1UL), (i.Status, i.MissingCount)),
            i => Assert.Equal((DialogueItemStatus.Verified, "three"), (i.Status, i.Text)),
            i => Assert.Equal((DialogueItemStatus.Late, "two"), (i.Status, i.Text)));
    }

    [Fact]
    public async Task ReadAsync_ItemOfAnotherChannelOrReviewDelivered_RejectedAsWrongContext()
    {
        // Arrange: a second review with the same members, and the reviewers channel of the first.
        var otherReview = _f.Server.CreateReview("AUT", ["BRA", "CRI"], (_f.Ana.Account, MemberRole.FocalPoint), (_f.Ben.Account, MemberRole.FocalPoint), (_f.Cai.Account, MemberRole.FocalPoint));
        await Participant.PublishRootsAsync(otherReview, _f.Ana, _f.Ben, _f.Cai);
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var benDialogue = await _f.Ben.OpenAsync(_f.ReviewId);
        var benReviewers = await _f.Ben.OpenAsync(_f.ReviewId, "reviewers");
        await _f.Ana.OpenAsync(otherReview);
        var benOther = await _f.Ben.OpenAsync(otherReview);
        await ana.SendAsync("for review one, dialogue only");
        var bytes = _f.Server.Items(_f.ReviewId, "dialogue")[0].Bytes;

        // Act
        _f.Server.Inject(_f.ReviewId, "reviewers", bytes);
        _f.Server.Inject(otherReview, "dialogue", bytes);
        var inReviewers = await Participant.ReadAllAsync(benReviewers);
        var inOther = await Participant.ReadAllAsync(benOther);

        // Assert
        Assert.Equal(DialogueItemStatus.WrongContext, Assert.Single(inReviewers).Status);
        Assert.Equal(DialogueItemStatus.WrongContext, Assert.Single(inOther).Status);
        Assert.Null(inReviewers[0].Text);
        Assert.Equal(DialogueItemStatus.Verified, Assert.Single(await Participant.ReadAllAsync(benDialogue)).Status);
    }
}
