using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>
/// Group commit (<see cref="EnvelopeWriter"/>): many items decided and committed in one transaction give exactly the
/// outcomes one transaction per item would, an item is acknowledged only once its transaction committed, and a batch
/// that fails loses nothing: its items are stored (and acknowledged) one at a time, the bad one alone failing. Each
/// test has a server of its own (one test breaks a row on purpose), on each engine.
/// </summary>
public abstract class GroupCommitTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    /// <summary>A fresh server with its own database.</summary>
    protected abstract Task<MessagingHost> StartHostAsync();

    [Fact]
    public async Task WriteAsync_OneBatchOfMixedItems_DecidedAsOneTransactionPerItemWouldBe()
    {
        // Arrange
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var key = review.DialogueKey!;
        var aliceFirst = ReviewScenario.Seal(review.Alice, key, 1, clientMessageId: Guid.NewGuid());
        var (_, nextKey) = EpochRecordBuilder.Next(review.Alice.Device, review.DialogueRecord!,
            [new MemberDevice(review.Alice.Device.PublicKeys, MayManage: true)], DateTimeOffset.FromUnixTimeSeconds(1_800_000_100));
        using var epochOneKey = nextKey;
        var batch = new[]
        {
            Pending(review, "dialogue", aliceFirst),                                          // stored: 1
            Pending(review, "dialogue", ReviewScenario.Seal(review.Bob, key, 1)),             // stored: 2
            Pending(review, "dialogue", aliceFirst),                                          // earlier in the batch: duplicate of 1
            Pending(review, "dialogue", ReviewScenario.Seal(review.Alice, key, 1)),           // counter 1 again, new message id: replayed
            Pending(review, "dialogue", ReviewScenario.Seal(review.Alice, key, 3)),           // stored: 3 (a gap is the client's to report)
            Pending(review, "dialogue", ReviewScenario.Seal(review.Alice, key, 2)),           // below Alice's last in this batch: replayed
            Pending(review, "reviewers", ReviewScenario.Seal(review.Carol, review.ReviewersKey!, 1)), // another channel: its own sequence 1
            Pending(review, "dialogue", ReviewScenario.Seal(review.Bob, epochOneKey, 2)),     // an epoch the channel is not at: stale
            Pending(review, "dialogue", ReviewScenario.Seal(review.Carol, key, 7)),           // stored: 4
        };

        // Act
        await Writer(host).WriteAsync(batch, CancellationToken.None);
        var outcomes = await Task.WhenAll(batch.Select(p => p.Completion.Task));
        var dialogue = await review.PageAsync(review.Olga, "dialogue");
        var reviewers = await review.PageAsync(review.Bob, "reviewers");
        var retry = await Ack(await review.PostEnvelopeAsync(review.Alice, aliceFirst));

        // Assert
        Assert.Equal(
            ["1", "2", "1 duplicate", "replayed-counter", "3", "replayed-counter", "1", "stale-epoch", "4"],
            outcomes.Select(Describe));
        Assert.Equal([1L, 2L, 3L, 4L], dialogue.Items.Select(i => i.Sequence));
        Assert.Equal(
            [aliceFirst.Encoded.ToArray(), batch[1].Envelope.Encoded.ToArray(), batch[4].Envelope.Encoded.ToArray(), batch[8].Envelope.Encoded.ToArray()],
            dialogue.Items.Select(i => i.Envelope));
        Assert.Equal([1L], reviewers.Items.Select(i => i.Sequence));
        Assert.Equal(new SendAck(1, Duplicate: true), retry);
        var detail = await review.Alice.Http.GetFromJsonAsync<ReviewDetail>(HttpRoutes.ReviewOf(review.ReviewId));
        Assert.Equal(4L, detail!.Channels.Single(c => c.Name == "dialogue").LastSequence);
    }

    [Fact]
    public async Task WriteAsync_BatchWhoseInsertFails_OthersStoredAndAcknowledgedAloneAndOnlyTheBadItemFails()
    {
        // Arrange: Carol's device row disappears behind the server's back, so storing her envelope breaks a foreign key
        // in the middle of the batch (the checks before the writer would normally refuse her).
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var key = review.DialogueKey!;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            var carolDevice = review.Carol.Device.Id.ToString();
            Assert.Equal(1, await db.Devices.Where(d => d.DeviceId == carolDevice).ExecuteDeleteAsync());
        }

        var batch = new[]
        {
            Pending(review, "dialogue", ReviewScenario.Seal(review.Alice, key, 1)),
            Pending(review, "dialogue", ReviewScenario.Seal(review.Carol, key, 1)),
            Pending(review, "dialogue", ReviewScenario.Seal(review.Bob, key, 1)),
            Pending(review, "dialogue", ReviewScenario.Seal(review.Alice, key, 2)),
        };

        // Act
        await Writer(host).WriteAsync(batch, CancellationToken.None);
        var page = await review.PageAsync(review.Olga, "dialogue");

        // Assert: nothing of the failed transaction was acknowledged; then each item alone: three stored, Carol's failed.
        Assert.Equal(new SendAck(1, false), await batch[0].Completion.Task);
        await Assert.ThrowsAnyAsync<DbException>(() => batch[1].Completion.Task);
        Assert.Equal(new SendAck(2, false), await batch[2].Completion.Task);
        Assert.Equal(new SendAck(3, false), await batch[3].Completion.Task);
        Assert.Equal([batch[0], batch[2], batch[3]], page.Items.Select(i => batch.Single(p => p.Envelope.Encoded.Span.SequenceEqual(i.Envelope))));
        Assert.Equal([1L, 2L, 3L], page.Items.Select(i => i.Sequence));
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 505 && e.Message.Contains("batch of 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_ManySendersAtOnceThroughTheHub_EveryAcknowledgedItemIsStoredOnceAtItsSequence()
    {
        // Arrange: three members, each on its own hub connection, sending 40 items in counter order, all at once.
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        var senders = new[] { review.Alice, review.Bob, review.Carol };
        var connections = new List<HubConnection>();
        foreach (var sender in senders)
        {
            var connection = new HubConnectionBuilder()
                .WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(sender.Token))
                .Build();
            await connection.StartAsync();
            connections.Add(connection);
        }

        try
        {
            var envelopes = senders.Select(s => Enumerable.Range(1, 40).Select(i => ReviewScenario.Seal(s, review.DialogueKey!, (ulong)i, $"item {i} of {s.User}").Encoded.ToArray()).ToArray()).ToArray();

            // Act
            var acks = await Task.WhenAll(connections.Select(async (connection, s) =>
            {
                var result = new List<(byte[] Envelope, SendAck Ack)>();
                foreach (var envelope in envelopes[s])
                {
                    result.Add((envelope, await connection.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", envelope)).WaitAsync(s_wait)));
                }

                return result;
            }));
            var stored = new List<StoredEnvelope>();
            for (long after = 0; ;)
            {
                var page = await review.PageAsync(review.Olga, "dialogue", after, limit: 50);
                stored.AddRange(page.Items);
                if (page.Next is null)
                {
                    break;
                }

                after = page.Items[^1].Sequence;
            }

            // Assert: 120 acknowledgements, sequences 1..120 each once, each holding the bytes it acknowledged.
            var all = acks.SelectMany(a => a).ToList();
            Assert.All(all, a => Assert.False(a.Ack.Duplicate));
            Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), all.Select(a => a.Ack.Sequence).Order());
            Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), stored.Select(s => s.Sequence));
            Assert.All(all, a => Assert.Equal(a.Envelope, stored[(int)a.Ack.Sequence - 1].Envelope));
            foreach (var perSender in acks)
            {
                Assert.Equal(perSender.Select(a => a.Ack.Sequence).Order(), perSender.Select(a => a.Ack.Sequence));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static EnvelopeWriter Writer(MessagingHost host) => host.Services.GetRequiredService<EnvelopeWriter>();

    private static EnvelopeWriter.Pending Pending(ReviewScenario review, string channel, Envelope envelope) => new(review.ReviewId, channel, envelope);

    private static string Describe(Outcome<SendAck> outcome) =>
        outcome.TryGet(out var ack, out var error)
            ? ack.Duplicate ? $"{ack.Sequence} duplicate" : $"{ack.Sequence}"
            : error.Code;

    private static async Task<SendAck> Ack(HttpResponseMessage response)
    {
        using (response)
        {
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<SendAck>())!;
        }
    }
}

public sealed class GroupCommitSqliteTests : GroupCommitTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class GroupCommitPostgresTests(PostgresFixture postgres) : GroupCommitTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}
