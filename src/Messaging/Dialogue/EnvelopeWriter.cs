using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// Group commit of checked envelopes. Every accepted envelope goes through one queue; a single loop takes what has
/// queued up (up to <see cref="MaxBatch"/>) and decides and stores it in ONE transaction, with one commit (one
/// <c>fsync</c> with SQLite's <c>synchronous=FULL</c>), then acknowledges each item. While a batch commits, the next
/// one queues: under load a commit serves many senders, and with one sender nothing waits for anything.
/// </summary>
/// <remarks>
/// <para>Durability is unchanged: an item is acknowledged only after the transaction holding it has committed. An
/// item whose batch fails is not acknowledged by that batch; the batch's items are then stored again one at a time,
/// each in its own transaction, so one bad item cannot fail the others (and a commit that did happen is found again
/// by its client message id, as a duplicate).</para>
/// <para>The rules are the sequential ones, applied in queue order: the batch first takes the row of every channel it
/// writes (in a fixed order, so two servers on one PostgreSQL database cannot deadlock; on SQLite the transaction
/// holds the database write lock), reads each channel's state once, then decides item by item exactly as one
/// transaction per item would: a retry (same sender and client message id, stored or earlier in the batch) gets its
/// original sequence; the envelope must be in the channel's current epoch and its sender listed there; its counter
/// must exceed the sender's last (stored or earlier in the batch); it gets the next sequence.</para>
/// <para>The batch's new envelopes are appended to their reviews' archive logs in the same transaction
/// (<see cref="ArchiveWriter"/>, one multi-row insert per review and table), so an acknowledged envelope is always in
/// the log and a retry, found as a duplicate, is never logged twice.</para>
/// </remarks>
internal sealed partial class EnvelopeWriter(
    IServiceScopeFactory scopes, EpochMembersCache epochs, ArchiveWriter archive, TimeProvider time, ILogger<EnvelopeWriter> logger) : BackgroundService
{
    /// <summary>Most items decided and committed together.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a checked envelope and returns its outcome once its transaction has committed (or refused it).</summary>
    /// <exception cref="InvalidOperationException">The server is stopping.</exception>
    public async Task<Outcome<SendAck>> StoreAsync(Guid reviewId, string channel, Envelope envelope, CancellationToken cancellationToken)
    {
        var pending = new Pending(reviewId, channel, envelope);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The server is stopping; the envelope was not stored.");
        }

        // A caller that goes away stops waiting; its item is still decided (a retry then finds it as a duplicate).
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The loop has a thread of its own: between batches it must not wait in the thread pool's queue behind the
    // requests it serves. (With SQLite every database call completes synchronously, so a batch runs on this thread.)
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "Envelope writer";
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                // A batch that started is finished, also while the server stops.
                WriteAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new InvalidOperationException("The server is stopping; the envelope was not stored."));
            }
        }
    }

    /// <summary>Decides and stores <paramref name="batch"/>, completing each item (internal for tests).</summary>
    internal async Task WriteAsync(IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var started = time.GetTimestamp();
            var outcomes = await StoreBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var milliseconds = time.GetElapsedTime(started).TotalMilliseconds;
                Log.Committed(logger, batch.Count, milliseconds);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(outcomes[i]);
            }

            return;
        }
        catch (Exception e) when (batch.Count > 1 && e is not OperationCanceledException)
        {
            Log.BatchFailed(logger, batch.Count, e.GetType().Name);
        }
        catch (DbException)
        {
            // One item that hit a unique constraint (a concurrent writer the row lock did not stop: it should not happen).
            Log.Retried(logger, batch[0].ReviewId, batch[0].Channel);
        }
#pragma warning disable CA1031 // Whatever failed, the callers must hear of it; nothing was acknowledged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetException(e);
            }

            return;
        }

        // Nothing of the failed batch was committed: each item again, alone, so that one cannot fail the others.
        foreach (var item in batch)
        {
            try
            {
                var outcome = await StoreBatchAsync([item], cancellationToken).ConfigureAwait(false);
                item.Completion.TrySetResult(outcome[0]);
            }
#pragma warning disable CA1031 // As above.
            catch (Exception e)
#pragma warning restore CA1031
            {
                item.Completion.TrySetException(e);
            }
        }
    }

    private async Task<Outcome<SendAck>[]> StoreBatchAsync(IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var sql = new EnvelopeBatchSql(db.Database.GetDbConnection(), transaction.GetDbTransaction());
                await using (sql.ConfigureAwait(false))
                {
                    var channels = await LockChannelsAsync(sql, batch, cancellationToken).ConfigureAwait(false);
                    var outcomes = new Outcome<SendAck>[batch.Count];
                    var stored = new Dictionary<(ChannelKey Channel, string Sender, Guid MessageId), long>();
                    var lastCounters = new Dictionary<(ChannelKey Channel, string Sender), long?>();
                    var rows = new List<EnvelopeBatchSql.NewEnvelope>(batch.Count);
                    var archived = new List<(Guid ReviewId, ArchiveRecord Record)>(batch.Count);
                    var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
                    for (var i = 0; i < batch.Count; i++)
                    {
                        outcomes[i] = await DecideAsync(db, sql, batch[i], channels, stored, lastCounters, rows, archived, storedAt, cancellationToken).ConfigureAwait(false);
                    }

                    await sql.InsertAsync(rows, cancellationToken).ConfigureAwait(false);
                    foreach (var (key, state) in channels)
                    {
                        if (state is { Added: > 0 })
                        {
                            await sql.SetLastSequenceAsync(key.ReviewId, key.Name, state.LastSequence, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    // In review order (the logs' rows are taken in a fixed order, after the channels').
                    foreach (var review in archived.GroupBy(a => a.ReviewId).OrderBy(g => g.Key))
                    {
                        await archive.AppendAsync(db, review.Key, [.. review.Select(a => a.Record)], cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return outcomes;
                }
            }
        }
    }

    // Takes the row of each channel of the batch, in a fixed order, and reads its state (null: no such channel).
    private static async Task<Dictionary<ChannelKey, ChannelState?>> LockChannelsAsync(EnvelopeBatchSql sql, IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<ChannelKey, ChannelState?>();
        var keys = batch.Select(p => new ChannelKey(p.ReviewId, p.Channel)).Distinct()
            .OrderBy(k => k.ReviewId).ThenBy(k => k.Name, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var state = await sql.LockChannelAsync(key.ReviewId, key.Name, cancellationToken).ConfigureAwait(false);
            channels[key] = state is { } found ? new ChannelState { LastSequence = found.LastSequence, CurrentEpoch = found.CurrentEpoch } : null;
        }

        return channels;
    }

    private async Task<Outcome<SendAck>> DecideAsync(
        MessagingDbContext db, EnvelopeBatchSql sql, Pending item, Dictionary<ChannelKey, ChannelState?> channels,
        Dictionary<(ChannelKey Channel, string Sender, Guid MessageId), long> stored, Dictionary<(ChannelKey Channel, string Sender), long?> lastCounters,
        List<EnvelopeBatchSql.NewEnvelope> rows, List<(Guid ReviewId, ArchiveRecord Record)> archived, DateTimeOffset storedAt, CancellationToken cancellationToken)
    {
        var key = new ChannelKey(item.ReviewId, item.Channel);
        if (channels[key] is not { } state)
        {
            return ApiErrors.NotFound("This review has no such channel.");
        }

        var header = item.Envelope.Header;
        var sender = header.Sender.ToString();
        var counter = (long)header.Counter;
        if (stored.TryGetValue((key, sender, header.ClientMessageId), out var earlier))
        {
            return new SendAck(earlier, Duplicate: true);
        }

        var known = lastCounters.TryGetValue((key, sender), out var last);
        var history = await sql.SenderHistoryAsync(key.ReviewId, key.Name, sender, header.ClientMessageId, cancellationToken).ConfigureAwait(false);
        if (history.Sequence is { } sequence)
        {
            return new SendAck(sequence, Duplicate: true);
        }

        if (state.CurrentEpoch != header.Epoch)
        {
            return ApiErrors.StaleEpoch(state.CurrentEpoch is null
                ? "The channel has no epoch yet: a member must open it first."
                : $"The channel's current epoch is {state.CurrentEpoch}; fetch its record and seal again.");
        }

        var members = await epochs.GetAsync(db, key.ReviewId, key.Name, header.Epoch, cancellationToken).ConfigureAwait(false);
        if (members is null || !members.Contains(sender))
        {
            return ApiErrors.StaleEpoch("The sender device is not listed in the channel's current epoch.");
        }

        // Earlier items of this batch are not in the database yet (they are inserted at the end): their counters are kept here.
        if (!known)
        {
            last = history.LastCounter;
            lastCounters[(key, sender)] = last;
        }

        if (last >= counter)
        {
            return ApiErrors.ReplayedCounter;
        }

        state.LastSequence++;
        state.Added++;
        lastCounters[(key, sender)] = counter;
        stored[(key, sender, header.ClientMessageId)] = state.LastSequence;
        rows.Add(new EnvelopeBatchSql.NewEnvelope(
            key.ReviewId, key.Name, state.LastSequence, sender, counter, header.ClientMessageId, header.Epoch, item.Envelope.Encoded.ToArray(), storedAt));
        var form = await archive.EnvelopeFormAsync(db, key.ReviewId, cancellationToken).ConfigureAwait(false);
        archived.Add((key.ReviewId, ArchiveRecord.Envelope(key.Name, state.LastSequence, item.Envelope, storedAt, form)));
        return new SendAck(state.LastSequence, Duplicate: false);
    }

    /// <summary>A checked envelope waiting for its batch.</summary>
    internal sealed class Pending(Guid reviewId, string channel, Envelope envelope)
    {
        public Guid ReviewId { get; } = reviewId;

        public string Channel { get; } = channel;

        public Envelope Envelope { get; } = envelope;

        public TaskCompletionSource<Outcome<SendAck>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct ChannelKey(Guid ReviewId, string Name);

    private sealed class ChannelState
    {
        public long LastSequence { get; set; }

        public long? CurrentEpoch { get; init; }

        public int Added { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 504, Level = LogLevel.Warning,
            Message = "Envelope store on {ReviewId}/{Channel} hit a unique constraint; retrying once")]
        public static partial void Retried(ILogger logger, Guid reviewId, string channel);

        [LoggerMessage(EventId = 506, Level = LogLevel.Debug, Message = "A batch of {Count} envelopes was decided and committed in {Milliseconds} ms")]
        public static partial void Committed(ILogger logger, int count, double milliseconds);

        [LoggerMessage(EventId = 505, Level = LogLevel.Warning,
            Message = "A batch of {Count} envelopes failed ({ExceptionType}); nothing of it was acknowledged; storing its items one at a time")]
        public static partial void BatchFailed(ILogger logger, int count, string exceptionType);
    }
}
