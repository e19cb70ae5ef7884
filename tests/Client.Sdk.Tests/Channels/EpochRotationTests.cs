using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;

using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Client.Tests.Channels;

public sealed class EpochRotationTests : IAsyncLifetime
{
    private ScriptableServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptableServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RefreshAsync_MemberRegistersLate_RotatedInWithHistoryAndReadsEarlierItems()
    {
        // Arrange: Ben has no device yet when Ana opens the channel and posts.
        var anaAccount = _server.AddAccount("Ana", "AUT");
        var benAccount = _server.AddAccount("Ben", "BRA");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (anaAccount, MemberRole.FocalPoint), (benAccount, MemberRole.FocalPoint));
        await using var ana = await Participant.JoinAsync(_server, anaAccount);
        var anaSession = await ana.OpenAsync(reviewId);
        await anaSession.SendAsync("posted before Ben had a device");
        await using var ben = await Participant.JoinAsync(_server, benAccount);
        var early = await ben.OpenAsync(reviewId);
        Assert.False(early.CanRead);
        Assert.Contains(early.Alerts, a => a.Kind == ChannelAlertKind.NotAMember);

        // Act: Ana's client sees Ben's device and rotates, granting him the history.
        Assert.Null(await anaSession.RefreshAsync());
        Assert.Null(await early.RefreshAsync());
        var items = await Participant.ReadAllAsync(early);

        // Assert
        Assert.Equal(1u, anaSession.CurrentEpoch);
        var record = EpochRecord.Decode(_server.Records(reviewId, "dialogue")[1]).Value!;
        Assert.Equal(ben.Device.Id, Assert.Single(record.HistoryGrants).Recipient);
        Assert.True(early.CanRead);
        Assert.Equal("posted before Ben had a device", Assert.Single(items).Text);
    }

    [Fact]
    public async Task SendAsync_EpochRotatedMeanwhile_ResealsInTheNewEpochWithTheSameMessageId()
    {
        // Arrange: Ben's session still believes epoch 0 is current when Ana rotates.
        var anaAccount = _server.AddAccount("Ana", "AUT");
        var benAccount = _server.AddAccount("Ben", "BRA");
        var caiAccount = _server.AddAccount("Cai", "CRI");
        var reviewId = _server.CreateReview("AUT", ["BRA", "CRI"], (anaAccount, MemberRole.FocalPoint), (benAccount, MemberRole.FocalPoint), (caiAccount, MemberRole.FocalPoint));
        await using var ana = await Participant.JoinAsync(_server, anaAccount);
        await using var ben = await Participant.JoinAsync(_server, benAccount);
        await using var cai = await Participant.JoinAsync(_server, caiAccount);
        await Participant.PublishRootsAsync(reviewId, ana, ben, cai);
        var anaSession = await ana.OpenAsync(reviewId);
        var benSession = await ben.OpenAsync(reviewId);
        _server.RemoveMember(reviewId, caiAccount);
        Assert.Null(await anaSession.RefreshAsync());

        // Act
        var sent = await benSession.SendAsync("sealed in epoch 0 first");

        // Assert
        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.Equal(1u, sent.Value.Epoch);
        Assert.Contains(ProblemTypes.StaleEpoch, _server.Script.Refusals);
        var stored = Assert.Single(_server.Items(reviewId, "dialogue"));
        Assert.Equal(sent.Value.ClientMessageId, ScriptableServer.HeaderOf(stored).ClientMessageId);
        // Counters are never reused, not even that of the refused first sealing: readers see one missing item.
        var items = await Participant.ReadAllAsync(anaSession);
        Assert.Equal((DialogueItemStatus.Missing, 1UL), (items[0].Status, items[0].MissingCount));
        Assert.Equal((DialogueItemStatus.Verified, "sealed in epoch 0 first", 2UL), (items[1].Status, items[1].Text, items[1].Counter!.Value));
    }

    [Fact]
    public async Task WatchAsync_PollIntervalElapses_MemberRemovalNoticedAndRotated()
    {
        // Arrange: Ana watches with a fake clock; nothing rings the doorbell for a membership change.
        var anaAccount = _server.AddAccount("Ana", "AUT");
        var benAccount = _server.AddAccount("Ben", "BRA");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (anaAccount, MemberRole.FocalPoint), (benAccount, MemberRole.FocalPoint));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var ana = await Participant.JoinAsync(_server, anaAccount, pollInterval: TimeSpan.FromSeconds(30), time: time);
        await using var ben = await Participant.JoinAsync(_server, benAccount);
        await Participant.PublishRootsAsync(reviewId, ana, ben);
        var session = await ana.OpenAsync(reviewId);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in session.WatchAsync(cancellationToken: stop.Token))
            {
            }
        });

        // Act
        _server.RemoveMember(reviewId, benAccount);
        for (var i = 0; i < 200 && session.CurrentEpoch != 1; i++)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(25);
        }

        // Assert
        Assert.Equal(1u, session.CurrentEpoch);
        Assert.DoesNotContain(session.CurrentMembers, m => m.AccountId == benAccount.Id);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }

    [Fact]
    public async Task OpenChannelAsync_ObserverAndSecretariat_ObserverReadsButCannotPostSecretariatIsNoReader()
    {
        // Arrange
        var anaAccount = _server.AddAccount("Ana", "AUT");
        var olgaAccount = _server.AddAccount("Olga", "AUT");
        var secAccount = _server.AddAccount("Sam (UNODC)", null, isSecretariat: true);
        var reviewId = _server.CreateReview("AUT", ["BRA"], (anaAccount, MemberRole.FocalPoint), (olgaAccount, MemberRole.Observer), (secAccount, MemberRole.Secretariat));
        await using var ana = await Participant.JoinAsync(_server, anaAccount);
        await using var olga = await Participant.JoinAsync(_server, olgaAccount);
        await using var sam = await Participant.JoinAsync(_server, secAccount);
        var anaSession = await ana.OpenAsync(reviewId);
        await anaSession.SendAsync("for members");
        await ana.CertifyAsync(reviewId, olga, CertifiedRole.Observer);
        Assert.Null(await anaSession.RefreshAsync());

        // Act
        var olgaSession = await olga.OpenAsync(reviewId);
        var olgaSend = await olgaSession.SendAsync("observers never post");
        var samOpen = await sam.Client.OpenChannelAsync(reviewId, "dialogue");

        // Assert
        Assert.Equal("for members", Assert.Single(await Participant.ReadAllAsync(olgaSession)).Text);
        Assert.Equal(SendErrorKind.NotAllowed, olgaSend.Error.Kind);
        Assert.Equal(OpenErrorKind.NotAReader, samOpen.Error.Kind);
        Assert.DoesNotContain(anaSession.CurrentMembers, m => m.AccountId == secAccount.Id);
        Assert.Contains(anaSession.CurrentMembers, m => m.AccountId == olgaAccount.Id);
    }
}
