using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Tests.Archive;

/// <summary>
/// The server as a separate process, killed with SIGKILL during a stream of sends: every acknowledged envelope is in
/// the archive log after the restart, retries add nothing, and the log still recomputes to a signed root.
/// </summary>
public sealed class ArchiveCrashSafetyTests
{
    [Fact]
    public async Task Kill9DuringSends_EveryAckedEnvelopeIsInTheLogOnce()
    {
        // Arrange
        using var data = new TempDirectory();
        var first = await ServerProcess.StartAsync(data.Path);
        ReviewScenario review;
        var envelopes = new List<byte[]>();
        var acked = new List<int>();
        await using (first)
        {
            review = await ReviewScenario.CreateAsync(first);
            for (var i = 0; i < 10; i++)
            {
                envelopes.Add(ReviewScenario.Seal(review.Alice, review.DialogueKey!, (ulong)(i + 1), $"item {i}").Encoded.ToArray());
            }

            // Act: acknowledged one after the other; the process dies after the fourth, with the fifth in flight.
            using var alice = first.ClientWith(review.Alice.Token);
            for (var i = 0; i < 4; i++)
            {
                using var response = await alice.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[i]));
                response.EnsureSuccessStatusCode();
                acked.Add(i);
            }

            var inFlight = alice.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelopes[4]));
            first.Kill();
            await inFlight.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await using var second = await ServerProcess.StartAsync(data.Path);
        using var client = second.ClientWith(review.Alice.Token);
        var survived = await client.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId));
        foreach (var envelope in envelopes)
        {
            using var response = await client.PostAsJsonAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"), new SendEnvelope(review.ReviewId, "dialogue", envelope));
            response.EnsureSuccessStatusCode();
        }

        var final = await client.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId));
        var keys = await client.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
        var checkpoint = await client.GetFromJsonAsync<ArchiveCheckpoint>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, review.ReviewId) + $"?size={final!.Size}");
        review.Dispose();

        // Assert: the acknowledged four were logged before the crash; afterwards each envelope is logged exactly once, in order.
        static List<byte[]> Logged(ArchiveEntryPage page) => [.. page.Items
            .Where(i => i.Entry is not null)
            .Select(i => ArchiveEntry.Decode(i.Entry).Value!)
            .Where(e => e.Kind == ArchiveEntryKind.Envelope)
            .Select(e => e.Payload.ToArray())];
        var before = Logged(survived!);
        Assert.True(before.Count is 4 or 5, $"{before.Count} envelopes logged before the restart");
        static byte[] Summary(byte[] envelope) => Vault.Envelopes.EnvelopeSummary.Of(Vault.Envelopes.Envelope.Decode(envelope).Value!).Encode();
        Assert.Equal(acked.Select(i => Summary(envelopes[i])), before.Take(4));
        Assert.Equal(envelopes.Select(Summary), Logged(final));

        var view = new LogView(review.ReviewId, new ArchiveKeyRing(keys!.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!)), TimeProvider.System);
        Assert.True(view.Update(SignedCheckpoint.Parse(checkpoint!.Checkpoint).Value!, []).IsSuccess);
        var root = Vault.Merkle.MerkleTree.Root([.. final.Items.Take((int)view.Current!.TreeSize).Select(i => i.LeafHash)]);
        Assert.Equal(view.Current.RootHash.ToArray(), root);
        Assert.All(final.Items.Where(i => i.Entry is not null), i => Assert.Equal(Vault.Merkle.MerkleHash.Leaf(i.Entry), i.LeafHash));
    }
}
