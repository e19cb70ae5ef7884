using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Signs checkpoints on schedule (docs/server.md "Archive"): a review whose log grew gets a checkpoint once
/// <see cref="ArchiveOptions.CheckpointEveryEntries"/> entries are uncovered, or once its last checkpoint is
/// <see cref="ArchiveOptions.CheckpointInterval"/> old; every log's current tree is signed again at least every
/// <see cref="ArchiveOptions.RefreshInterval"/> (freshness). Appends in this process wake it at once; a sweep over all
/// logs every interval catches appends by other servers and refreshes.
/// </summary>
internal sealed partial class CheckpointScheduler(
    IServiceScopeFactory scopes, CheckpointSignal signal, CheckpointService checkpoints, IOptions<ArchiveOptions> options, TimeProvider time,
    ILogger<CheckpointScheduler> logger) : BackgroundService
{
    private readonly HashSet<Guid> _pending = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var tick = settings.CheckpointInterval < TimeSpan.FromSeconds(1) ? settings.CheckpointInterval : TimeSpan.FromSeconds(1);
        var lastSweep = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var grown = await signal.WaitAsync(tick, stoppingToken).ConfigureAwait(false);
                _pending.UnionWith(grown);
                var now = time.GetUtcNow();
                var sweep = now - lastSweep >= settings.CheckpointInterval;
                if (sweep)
                {
                    lastSweep = now;
                }

                if (_pending.Count > 0 || sweep)
                {
                    await RunAsync(sweep, settings, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is logged and retried; it must not stop checkpointing for good.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.RoundFailed(logger, e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One round: decides and signs (internal for tests).</summary>
    internal async Task RunAsync(bool sweep, ArchiveOptions settings, CancellationToken cancellationToken)
    {
        var states = await StatesAsync(sweep ? null : _pending, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (review, size, checkpointSize, signedAt) in states)
        {
            var age = signedAt is { } t ? TimeSpan.FromSeconds(now - t) : TimeSpan.MaxValue;
            var uncovered = checkpointSize is { } covered ? size - covered : size + 1;
            var due = (uncovered > 0 && (uncovered >= settings.CheckpointEveryEntries || age >= settings.CheckpointInterval)) ||
                      age >= settings.RefreshInterval;
            if (due)
            {
                await checkpoints.SignCurrentAsync(review, cancellationToken).ConfigureAwait(false);
                _pending.Remove(review);
            }
            else if (uncovered <= 0)
            {
                _pending.Remove(review);
            }
        }
    }

    private async Task<List<(Guid Review, long Size, long? CheckpointSize, long? SignedAt)>> StatesAsync(IReadOnlyCollection<Guid>? only, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = db.Database.GetDbConnection();
            var states = new List<(Guid, long, long?, long?)>();
            await using var command = ArchiveSql.Command(connection, null,
                "SELECT l.review_id, l.size, " +
                "(SELECT c.tree_size FROM archive_checkpoints c WHERE c.review_id = l.review_id ORDER BY c.tree_size DESC, c.signed_at DESC LIMIT 1), " +
                "(SELECT c.signed_at FROM archive_checkpoints c WHERE c.review_id = l.review_id ORDER BY c.tree_size DESC, c.signed_at DESC LIMIT 1) " +
                "FROM archive_logs l");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var review = ArchiveSql.ReadReview(reader, 0);
                if (only is null || only.Contains(review))
                {
                    states.Add((review, ArchiveSql.ReadLong(reader, 1), ArchiveSql.ReadNullableLong(reader, 2), ArchiveSql.ReadNullableLong(reader, 3)));
                }
            }

            return states;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "A checkpoint round failed ({ExceptionType}); retrying")]
        public static partial void RoundFailed(ILogger logger, string exceptionType);
    }
}
