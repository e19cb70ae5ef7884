using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Tests.Channels;

public sealed class RoundTripTests : IAsyncLifetime
{
    private ScriptableServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptableServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendAsync_TwoMembers_EachReadsTheOthersVerifiedText()
    {
        // Arrange
        var reviewed = _server.AddAccount("Ana (reviewed)", "AUT");
        var reviewer = _server.AddAccount("Ben (reviewer)", "BRA");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (reviewed, MemberRole.FocalPoint), (reviewer, MemberRole.FocalPoint));
        await using var ana = await Participant.JoinAsync(_server, reviewed);
        await using var ben = await Participant.JoinAsync(_server, reviewer);
        await Participant.PublishRootsAsync(reviewId, ana, ben);
        var anaSession = await ana.OpenAsync(reviewId);
        var benSession = await ben.OpenAsync(reviewId);

        // Act
        var sent = await anaSession.SendAsync("Our answer to question 5.1", ItemKind.QuestionnaireResponse);
        var reply = await benSession.SendAsync("Could you clarify the figures?", ItemKind.RequestForClarification);
        var benItems = await Participant.ReadAllAsync(benSession);
        var anaItems = await Participant.ReadAllAsync(anaSession);

        // Assert
        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.Equal(1, sent.Value.Sequence);
        Assert.True(reply.IsSuccess, reply.ToString());
        Assert.Equal(0u, anaSession.CurrentEpoch);
        Assert.Collection(benItems,
            first =>
            {
                Assert.Equal(DialogueItemStatus.Verified, first.Status);
                Assert.Equal("Our answer to question 5.1", first.Text);
                Assert.Equal(ItemKind.QuestionnaireResponse, first.Kind);
                Assert.Equal("Ana (reviewed)", first.Sender!.DisplayName);
                Assert.Equal("AUT", first.Sender.StateCode);
                Assert.Equal(DeviceTrust.FocalPoint, first.Sender.Trust);
            },
            second =>
            {
                Assert.Equal(DialogueItemStatus.Verified, second.Status);
                Assert.True(second.IsOwn);
            });
        Assert.Equal(["Our answer to question 5.1", "Could you clarify the figures?"], anaItems.Select(i => i.Text));
        Assert.All(anaItems, i => Assert.Equal(DialogueItemStatus.Verified, i.Status));
    }
}
