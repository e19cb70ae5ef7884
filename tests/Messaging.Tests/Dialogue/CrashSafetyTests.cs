using System.Collections.Concurrent;
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
    public async Task Kill9DuringConcurrentSendsOfThreeMembers_EveryAckedItemSurvivesAndRetriesStoreNothingTwice()
    {
        // Arrange: three members send at once, so the server commits their items together (group commit).
        using var data = new TempDirectory();
        var first = await ServerProcess.StartAsync(data.Path);
        ReviewScenario review;
        Participant[] senders;
        byte[][][] envelopes;
        var acked = new ConcurrentBag<(int Sender, int Index, long Sequence)>();
        await using (first)
        {
            review = await ReviewScenario.CreateAsync(first);
            senders = [review.Alice, review.Bob, review.Carol];
            envelopes = [.. senders.Select(p => Enumerable.Range(1, 20).Select(i => ReviewScenario.Seal(p, review.DialogueKey!, (ulong)i, $"item {i}").Encoded.ToArray()).ToArray())];

            // Act: each member sends its items in order; the process dies once 15 acknowledgements are in, others in flight.
            var loops = senders.Select((participant, s) => Task.Run(async () =>
            {
                using var http = first.ClientWith(participant.Token);
                for (var i = 0; i < envelopes[s].Length; i++)
                {
                    try
                    {
                        using var response = await http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[s][i]));
                        if (!response.IsSuccessStatusCode)
                        {
                            return;
                        }

                        acked.Add((s, i, (await response.Content.ReadFromJsonAsync<SendAck>())!.Sequence));
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (acked.Count < 15 && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(1);
            }

            first.Kill();
            await Task.WhenAll(loops);
        }

        await using var second = await ServerProcess.StartAsync(data.Path);
        using var reader = second.ClientWith(review.Olga.Token);
        var survived = await reader.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        var retries = new List<(int Sender, int Index, SendAck Ack)>();
        for (var s = 0; s < senders.Length; s++)
        {
            using var http = second.ClientWith(senders[s].Token);
            for (var i = 0; i < envelopes[s].Length; i++)
            {
                using var response = await http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[s][i]));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                retries.Add((s, i, (await response.Content.ReadFromJsonAsync<SendAck>())!));
            }
        }

        var final = await reader.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"));
        review.Dispose();

        // Assert: every acknowledged item survived at its sequence, and its retry is a duplicate of it.
        Assert.True(acked.Count >= 15, $"{acked.Count} acknowledged before the kill");
        foreach (var (sender, index, sequence) in acked)
        {
            Assert.Equal(envelopes[sender][index], survived!.Items.Single(item => item.Sequence == sequence).Envelope);
            Assert.Equal(new SendAck(sequence, true), retries.Single(r => r.Sender == sender && r.Index == index).Ack);
        }

        // Every item is stored exactly once, at sequences 1..60 without a hole, each member's in its own order.
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), final!.Items.Select(i => i.Sequence));
        Assert.Equal(envelopes.SelectMany(e => e).Order(ByteArrayComparer.Instance), final.Items.Select(i => i.Envelope).Order(ByteArrayComparer.Instance));
        Assert.Equal(survived!.Items.Count, retries.Count(r => r.Ack.Duplicate));
        for (var s = 0; s < senders.Length; s++)
        {
            var sequences = retries.Where(r => r.Sender == s).Select(r => r.Ack.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
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

/// <summary>Orders byte arrays lexicographically (to compare sets of envelopes).</summary>
internal sealed class ByteArrayComparer : IComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
