using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>
/// The server as a separate process, killed with SIGKILL right after acknowledging: what was acknowledged survives, a
/// retry is recognised, and nothing is stored twice (SQLite in WAL with synchronous=FULL; acknowledgement after commit).
/// </summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task Kill9RightAfterAck_RestartedServerHasTheItemOnceAndRetryIsDuplicate()
    {
        // Arrange
        using var data = new TempDirectory();
        var first = await ServerProcess.StartAsync(data.Path);
        ReviewScenario review;
        byte[] envelope;
        SendAck ack;
        await using (first)
        {
            review = await ReviewScenario.CreateAsync(first);
            envelope = ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, clientMessageId: Guid.NewGuid()).Encoded.ToArray();

            // Act: acknowledged, then killed at once.
            using var response = await review.PostEnvelopeAsync(review.Alice, "dialogue", envelope);
            ack = (await response.Content.ReadFromJsonAsync<SendAck>())!;
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync(data.Path);
        using var alice = second.ClientWith(review.Alice.Token);
        var before = await alice.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        using var retry = await alice.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelope));
        var retryAck = await retry.Content.ReadFromJsonAsync<SendAck>();
        var after = await alice.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        review.Dispose();

        // Assert
        Assert.Equal(new SendAck(1, false), ack);
        Assert.Equal(envelope, Assert.Single(before!.Items).Envelope);
        Assert.Equal(new SendAck(1, true), retryAck);
        Assert.Equal(envelope, Assert.Single(after!.Items).Envelope);
    }

    [Fact]
    public async Task Kill9DuringAStreamOfSends_EveryAckedItemSurvivesAndRetriesStoreNothingTwice()
    {
        // Arrange
        using var data = new TempDirectory();
        var first = await ServerProcess.StartAsync(data.Path);
        ReviewScenario review;
        var envelopes = new List<byte[]>();
        var acked = new List<(int Index, long Sequence)>();
        await using (first)
        {
            review = await ReviewScenario.CreateAsync(first);
            for (var i = 0; i < 12; i++)
            {
                envelopes.Add(ReviewScenario.Seal(review.Alice, review.DialogueKey!, (ulong)(i + 1), $"item {i}").Encoded.ToArray());
            }

            // Act: sends go out back to back; the process dies right after the fifth acknowledgement, with the sixth in flight.
            using var alice = first.ClientWith(review.Alice.Token);
            var inFlight = new List<Task<HttpResponseMessage>>();
            for (var i = 0; i < envelopes.Count && acked.Count < 5; i++)
            {
                using var response = await alice.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[i]));
                acked.Add((i, (await response.Content.ReadFromJsonAsync<SendAck>())!.Sequence));
            }

            inFlight.Add(alice.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[5])));
            first.Kill();
            await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        await using var second = await ServerProcess.StartAsync(data.Path);
        using var client = second.ClientWith(review.Alice.Token);
        var survived = await client.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        var retries = new List<SendAck>();
        for (var i = 0; i < envelopes.Count; i++)
        {
            using var response = await client.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[i]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            retries.Add((await response.Content.ReadFromJsonAsync<SendAck>())!);
        }

        var final = await client.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        review.Dispose();

        // Assert: the acknowledged five are there, in order, with their sequences.
        Assert.True(survived!.Items.Count is 5 or 6, $"{survived.Items.Count} items survived");
        foreach (var (index, sequence) in acked)
        {
            Assert.Equal(envelopes[index], survived.Items.Single(item => item.Sequence == sequence).Envelope);
            Assert.Equal(new SendAck(sequence, true), retries[index]);
        }

        // Every item is stored exactly once, in sending order, with sequences 1..12.
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), final!.Items.Select(i => i.Sequence));
        Assert.Equal(envelopes, final.Items.Select(i => i.Envelope));
        Assert.Equal(survived.Items.Count, retries.Count(r => r.Duplicate));
    }

    [Fact]
    public async Task InvalidSettings_ProcessExitsWithCode2AndListsEveryProblem()
    {
        // Arrange
        using var data = new TempDirectory();

        // Act
        var (exitCode, output) = await ServerProcess.RunToExitAsync("--data", data.Path, "--profile", "Production", "--Database:Engine", "Sqlite");

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Contains("Production profile stores its data in PostgreSQL", output, StringComparison.Ordinal);
        Assert.Contains("Identity:Authority is required", output, StringComparison.Ordinal);
        Assert.Contains("Identity:Audience is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
