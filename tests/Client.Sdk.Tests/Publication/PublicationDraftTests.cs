using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Client.Tests.Publication;

public sealed class PublicationDraftTests : IAsyncLifetime
{
    private ScriptableServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptableServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PreparePublicationAsync_ReviewersItem_FocalPointBuildsARecordThatVerifiesWithTheWithheldPartOut()
    {
        // Arrange: a reviewing State's focal point (its only participant, so its device is its certified root) writes two
        // paragraphs; the reviewed State's focal point publishes the first.
        var focalPoint = _server.AddAccount("Ana (focal point)", "AUT");
        var reviewer = _server.AddAccount("Ben (reviewer)", "BRA");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (focalPoint, MemberRole.FocalPoint), (reviewer, MemberRole.FocalPoint));
        await using var ana = await Participant.JoinAsync(_server, focalPoint);
        await using var ben = await Participant.JoinAsync(_server, reviewer);
        await Participant.PublishRootsAsync(reviewId, ana, ben);
        var anaSession = await ana.OpenAsync(reviewId);
        var benSession = await ben.OpenAsync(reviewId);
        var sent = await benSession.SendAsync([Segment.Text("Observation publique."), Segment.Text("Remarque confidentielle 4711.")], ItemKind.ListOfObservations, LanguageTag.French);
        Assert.True(sent.IsSuccess, sent.ToString());
        using var log = CheckpointSigner.Create();

        // Act
        var prepared = await anaSession.PreparePublicationAsync(sent.Value.Sequence!.Value);
        Assert.True(prepared.IsSuccess, prepared.ToString());
        var draft = prepared.Value;
        var entry = draft.Item.ToArchiveEntry(0, DateTimeOffset.UnixEpoch.AddDays(20000));
        var checkpoint = log.Sign(ArchiveOrigin.ForReview(reviewId), 1, MerkleTree.Root([entry.LeafHash()]), DateTimeOffset.UnixEpoch.AddDays(20000));
        draft.Audience = PublicationAudience.Public;
        var record = draft.Disclose(0).WithArchive(0, entry.ReceivedAt, [], checkpoint).Build();
        var result = PublicationVerifier.Verify(record.Encoded.Span, new PublicationTrust(new ArchiveKeyRing([log.LogKey()])));

        // Assert
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(ben.Device.Id, result.Author!.Id);
        Assert.Equal(ana.Device.Id, result.Publisher!.Id);
        Assert.Equal("AUT", record.PublisherState.Value);
        Assert.Equal("BRA", record.AuthorState.Value);
        Assert.Equal("Observation publique.", Assert.Single(record.Disclosed).Segment.TextContent);
        Assert.Equal([1], record.Withheld);
        Assert.True(record.Encoded.Span.IndexOf("4711"u8) < 0);
    }

    [Fact]
    public async Task PreparePublicationAsync_NoSuchItem_NotFound()
    {
        var member = _server.AddAccount("Ana", "AUT");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (member, MemberRole.FocalPoint));
        await using var ana = await Participant.JoinAsync(_server, member);
        var session = await ana.OpenAsync(reviewId);

        var prepared = await session.PreparePublicationAsync(5);

        Assert.False(prepared.IsSuccess);
        Assert.True(prepared.Error.NotFound);
    }
}
