using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Outbox;

public sealed class OutboxTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync() => _f = await DialogueFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task SendAsync_HubDropsAfterStoreBeforeAck_RetriesSameBytesAndServerStoresOnce()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await _f.Ana.WaitForHubAsync();
        _f.Server.Script.DropConnectionAfterStore = true;

        // Act
        var sent = await ana.SendAsync("exactly once");

        // Assert: the first attempt was stored without an ack; the retry was recognised as a duplicate.
        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.True(sent.Value.Duplicate);
        Assert.Equal(1, sent.Value.Sequence);
        Assert.Single(_f.Server.Items(_f.ReviewId, "dialogue"));
        Assert.Equal([new SendAck(1, false), new SendAck(1, true)], _f.Server.Script.Acks);
        Assert.Equal(1, _f.Server.Script.HubSends);
        Assert.Equal(0, ana.PendingCount);
    }

    [Fact]
    public async Task FlushOutboxAsync_HttpDroppedAfterStore_ResendsTheSameBytesAsDuplicate()
    {
        // Arrange: no hub, and the HTTP post is cut after the item was stored.
        _f.Server.Script.RefuseHub = true;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        _f.Server.Script.DropConnectionAfterStore = true;
        var queued = await ana.SendAsync("stored but not acknowledged");
        var outboxFile = Assert.Single(Directory.GetFiles(_f.Ana.Profile, "*.env", SearchOption.AllDirectories));
        var queuedBytes = await File.ReadAllBytesAsync(outboxFile);

        // Act
        var left = await ana.FlushOutboxAsync();

        // Assert
        Assert.True(queued.Value!.Queued);
        Assert.Equal(0, left);
        Assert.False(File.Exists(outboxFile));
        var stored = Assert.Single(_f.Server.Items(_f.ReviewId, "dialogue"));
        Assert.Equal(queuedBytes, stored.Bytes);
        Assert.Equal([new SendAck(1, false), new SendAck(1, true)], _f.Server.Script.Acks);
    }

    [Fact]
    public async Task SendAsync_ServerUnavailable_QueuesInOrderAndSendsOnNextOpen()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        _f.Server.Script.Unavailable = true;

        // Act
        var first = await ana.SendAsync("queued one");
        var second = await ana.SendAsync("queued two");
        _f.Server.Script.Unavailable = false;
        await using var restarted = await _f.Ana.RestartAsync(_f.Server);
        var reopened = await restarted.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.True(first.Value!.Queued);
        Assert.True(second.Value!.Queued);
        Assert.Equal(0, reopened.PendingCount);
        Assert.Equal(["queued one", "queued two"], items.Select(i => i.Text));
        Assert.Equal([1UL, 2UL], items.Select(i => i.Counter!.Value));
    }
}
