using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Amendments;

/// <summary>
/// Authors' corrections and retractions (docs/protocol.md 21.4) on the real server and both engines: what is stored and
/// archived, the idempotent retry, and every typed refusal.
/// </summary>
public abstract class AmendmentEndpointTests
{
    private const string Dialogue = "dialogue";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);

    protected abstract Task<MessagingHost> StartHostAsync();

    [Fact]
    public async Task Correction_ByItsAuthor_StoredArchivedWithTheTargetsIndexAndIdempotent()
    {
        // Arrange: Alice sends an item, then its corrected text as a new envelope.
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var (original, originalSequence) = await SendAsync(review, review.Alice, 101, "Teh first text.");
        var (replacement, replacementSequence) = await SendAsync(review, review.Alice, 102, "The first text.");
        var statement = AmendmentCodec.SignCorrection(original, replacement, review.Alice.Device, At);

        // Act
        using var created = await SubmitAsync(review, review.Alice, Dialogue, statement, originalSequence, replacementSequence);
        var entry = await Json<AmendmentEntry>(created, HttpStatusCode.Created);
        var sizeAfter = await LogSizeAsync(review);
        using var retried = await SubmitAsync(review, review.Alice, Dialogue, statement, originalSequence, replacementSequence);
        var again = await Json<AmendmentEntry>(retried, HttpStatusCode.OK);
        var listed = await Json<List<AmendmentEntry>>(await review.Bob.Http.GetAsync(AmendmentRoutes.AmendmentsOf(review.ReviewId, Dialogue)), HttpStatusCode.OK);

        // Assert: one entry, a Correction naming the original's Envelope entry, with the statement's exact bytes.
        Assert.Equal(("correct", originalSequence, replacementSequence, review.Alice.Device.Id.ToString()), (entry.Action, entry.TargetSequence, entry.ReplacementSequence, entry.AuthorDevice));
        Assert.Equal((entry.ArchiveIndex, entry.StoredAt), (again.ArchiveIndex, again.StoredAt));
        Assert.Equal(sizeAfter, await LogSizeAsync(review));
        Assert.Equal(entry.ArchiveIndex + 1, sizeAfter);
        var single = Assert.Single(listed);
        Assert.Equal(statement.Encoded, single.Statement);
        var logged = await EntryAsync(review, entry.ArchiveIndex);
        Assert.Equal(ArchiveEntryKind.Correction, logged.Kind);
        Assert.Equal(entry.TargetArchiveIndex, logged.Target);
        Assert.Equal(statement.Encoded, logged.Payload.ToArray());
        Assert.Equal(entry.StoredAt, logged.ReceivedAt);
        var target = await EntryAsync(review, entry.TargetArchiveIndex);
        Assert.Equal(ArchiveEntryKind.Envelope, target.Kind);
        // A new review's log records envelopes by their summary (docs/protocol.md 16.2.1).
        Assert.Equal(EnvelopeSummary.Of(original).Encode(), target.Payload.ToArray());
        var rebuilt = ArchiveEntry.Create(review.ReviewId, single.ArchiveIndex, ArchiveEntryKind.Correction, single.StoredAt, single.Statement, single.TargetArchiveIndex);
        Assert.Equal(logged.Encode(), rebuilt.Encode());
    }

    [Fact]
    public async Task Retraction_OncePerItem_SecondRetractionAndLaterCorrectionRefused()
    {
        // Arrange
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var (item, sequence) = await SendAsync(review, review.Alice, 201, "To be withdrawn.");
        var (replacement, replacementSequence) = await SendAsync(review, review.Alice, 202, "Too late.");

        // Act
        using var first = await SubmitAsync(review, review.Alice, Dialogue, AmendmentCodec.SignRetraction(item, review.Alice.Device, At), sequence, null);
        var entry = await Json<AmendmentEntry>(first, HttpStatusCode.Created);
        using var second = await SubmitAsync(review, review.Alice, Dialogue, AmendmentCodec.SignRetraction(item, review.Alice.Device, At.AddSeconds(1)), sequence, null);
        using var correction = await SubmitAsync(review, review.Alice, Dialogue, AmendmentCodec.SignCorrection(item, replacement, review.Alice.Device, At), sequence, replacementSequence);

        // Assert
        var logged = await EntryAsync(review, entry.ArchiveIndex);
        Assert.Equal((ArchiveEntryKind.Retraction, (long?)entry.TargetArchiveIndex), (logged.Kind, logged.Target));
        await Problems.AssertAsync(second, HttpStatusCode.Conflict, ProblemTypes.AlreadyRetracted);
        await Problems.AssertAsync(correction, HttpStatusCode.Conflict, ProblemTypes.AlreadyRetracted);
    }

    [Fact]
    public async Task Submit_EveryRefusal_TypedProblemAndNothingLogged()
    {
        // Arrange: items of Alice and Bob in the dialogue channel.
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var (alices, aliceSequence) = await SendAsync(review, review.Alice, 301, "Alice's item.");
        var (bobs, bobSequence) = await SendAsync(review, review.Bob, 301, "Bob's item.");
        var (bobsLater, bobLaterSequence) = await SendAsync(review, review.Bob, 302, "Bob's later item.");
        var bobRetractsAlices = AmendmentCodec.SignRetraction(alices, review.Bob.Device, At);
        var alicesRetraction = AmendmentCodec.SignRetraction(alices, review.Alice.Device, At);
        var tampered = alicesRetraction.Encoded.ToArray();
        tampered[^1] ^= 0x01;
        var bobsRetraction = AmendmentCodec.SignRetraction(bobs, review.Bob.Device, At);
        var bobsCorrection = AmendmentCodec.SignCorrection(bobs, bobsLater, review.Bob.Device, At);
        var before = await LogSizeAsync(review);

        // Act
        using var otherAuthor = await SubmitAsync(review, review.Bob, Dialogue, bobRetractsAlices, aliceSequence, null);
        using var notCallersDevice = await SubmitAsync(review, review.Bob, Dialogue, alicesRetraction, aliceSequence, null);
        using var wrongChannel = await SubmitAsync(review, review.Bob, "reviewers", bobsRetraction, bobSequence, null);
        using var unknownTarget = await SubmitAsync(review, review.Bob, Dialogue, bobsRetraction, 999, null);
        using var wrongSequence = await SubmitAsync(review, review.Bob, Dialogue, bobsRetraction, bobLaterSequence, null);
        using var badSignature = await SubmitAsync(review, review.Alice, Dialogue, tampered, aliceSequence, null);
        using var malformed = await SubmitAsync(review, review.Alice, Dialogue, [1, 1, 2, 3], aliceSequence, null);
        using var noReplacement = await SubmitAsync(review, review.Bob, Dialogue, bobsCorrection, bobSequence, null);
        using var observer = await SubmitAsync(review, review.Olga, Dialogue, alicesRetraction, aliceSequence, null);
        var after = await LogSizeAsync(review);

        // Assert
        await Problems.AssertAsync(otherAuthor, HttpStatusCode.Forbidden, ProblemTypes.NotAuthor);
        await Problems.AssertAsync(notCallersDevice, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(wrongChannel, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
        await Problems.AssertAsync(unknownTarget, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(wrongSequence, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(badSignature, HttpStatusCode.BadRequest, ProblemTypes.InvalidSignature);
        await Problems.AssertAsync(malformed, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        await Problems.AssertAsync(noReplacement, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        await Problems.AssertAsync(observer, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Correction_ReplacementUsedTwice_AmendmentConflict()
    {
        // Arrange
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var (first, firstSequence) = await SendAsync(review, review.Carol, 401, "One.");
        var (second, secondSequence) = await SendAsync(review, review.Carol, 402, "Two.");
        var (replacement, replacementSequence) = await SendAsync(review, review.Carol, 403, "Three.");

        // Act
        using var accepted = await SubmitAsync(review, review.Carol, Dialogue, AmendmentCodec.SignCorrection(first, replacement, review.Carol.Device, At), firstSequence, replacementSequence);
        using var reused = await SubmitAsync(review, review.Carol, Dialogue, AmendmentCodec.SignCorrection(second, replacement, review.Carol.Device, At), secondSequence, replacementSequence);

        // Assert
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await Problems.AssertAsync(reused, HttpStatusCode.Conflict, ProblemTypes.AmendmentConflict);
    }

    private static async Task<(Envelope Envelope, long Sequence)> SendAsync(ReviewScenario review, Participant sender, ulong counter, string text)
    {
        var envelope = ReviewScenario.Seal(sender, review.DialogueKey!, counter, text);
        using var response = await review.PostEnvelopeAsync(sender, envelope);
        var ack = await Json<SendAck>(response, HttpStatusCode.OK);
        return (envelope, ack.Sequence);
    }

    private static Task<HttpResponseMessage> SubmitAsync(ReviewScenario review, Participant caller, string channel, AmendmentStatement statement, long target, long? replacement) =>
        SubmitAsync(review, caller, channel, statement.Encoded, target, replacement);

    private static Task<HttpResponseMessage> SubmitAsync(ReviewScenario review, Participant caller, string channel, byte[] statement, long target, long? replacement) =>
        caller.Http.PostAsJsonAsync(AmendmentRoutes.AmendmentsOf(review.ReviewId, channel), new SubmitAmendment(statement, target, replacement));

    private static async Task<long> LogSizeAsync(ReviewScenario review)
    {
        var page = (await review.Alice.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId) + "?start=0&limit=1"))!;
        return page.Size;
    }

    private static async Task<ArchiveEntry> EntryAsync(ReviewScenario review, long index)
    {
        var page = (await review.Alice.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId) + $"?start={index}&limit=1"))!;
        return ArchiveEntry.Decode(Assert.Single(page.Items).Entry).Value!;
    }

    private static async Task<T> Json<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}

public sealed class AmendmentEndpointSqliteTests : AmendmentEndpointTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class AmendmentEndpointPostgresTests(PostgresFixture postgres) : AmendmentEndpointTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}
