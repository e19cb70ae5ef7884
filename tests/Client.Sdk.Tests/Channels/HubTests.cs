using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Channels;

public sealed class HubTests : IAsyncLifetime
{
    private ScriptableServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptableServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WatchAsync_ItemSentThroughHub_ArrivesByDoorbellWithoutPolling()
    {
        // Arrange: a poll interval far longer than the test, so only the hub's doorbell can deliver in time.
        var (reviewId, ana, ben) = await TwoMembersAsync(TimeSpan.FromMinutes(10));
        await using var _ = ana;
        await using var __ = ben;
        var anaSession = await ana.OpenAsync(reviewId);
        var benSession = await ben.OpenAsync(reviewId);
        await ana.WaitForHubAsync();
        await ben.WaitForHubAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = benSession.WatchAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = watch.MoveNextAsync();

        // Act
        var sent = await anaSession.SendAsync("through the hub");

        // Assert
        Assert.True(await next);
        Assert.Equal("through the hub", watch.Current.Text);
        Assert.Equal(DialogueItemStatus.Verified, watch.Current.Status);
        Assert.Equal(1, _server.Script.HubSends);
        Assert.True(sent.IsSuccess);
        Assert.False(sent.Value!.Duplicate);
    }

    [Fact]
    public async Task WatchAsync_ServerDropsConnection_ReconnectsAndCatchesUp()
    {
        // Arrange
        var (reviewId, ana, ben) = await TwoMembersAsync(TimeSpan.FromMinutes(10));
        await using var _ = ana;
        await using var __ = ben;
        var anaSession = await ana.OpenAsync(reviewId);
        var benSession = await ben.OpenAsync(reviewId);
        await ben.WaitForHubAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = benSession.WatchAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        await anaSession.SendAsync("before the drop");
        Assert.True(await watch.MoveNextAsync());

        // Act: the hub connection of ana's send is dropped after storing; ben's keeps working or reconnects.
        _server.Script.DropConnectionAfterStore = true;
        await ana.WaitForHubAsync();
        var sent = await anaSession.SendAsync("after the drop");

        // Assert
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("after the drop", watch.Current.Text);
        Assert.Equal(2, watch.Current.Sequence);
        Assert.True(sent.IsSuccess);
        await ana.WaitForHubAsync();
    }

    private async Task<(Guid ReviewId, Participant Ana, Participant Ben)> TwoMembersAsync(TimeSpan poll)
    {
        var reviewed = _server.AddAccount("Ana", "AUT");
        var reviewer = _server.AddAccount("Ben", "BRA");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (reviewed, MemberRole.FocalPoint), (reviewer, MemberRole.FocalPoint));
        var ana = await Participant.JoinAsync(_server, reviewed, pollInterval: poll);
        var ben = await Participant.JoinAsync(_server, reviewer, pollInterval: poll);
        await Participant.PublishRootsAsync(reviewId, ana, ben);
        return (reviewId, ana, ben);
    }
}
