using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Every <see cref="BlobStorageOptions.CleanupInterval"/> (by the injected <see cref="TimeProvider"/>), removes
/// uploads begun more than <see cref="BlobStorageOptions.AbandonedUploadAge"/> ago, from the store and from the
/// <c>blob_uploads</c> table. A failed pass is logged and retried at the next tick.
/// </summary>
internal sealed partial class AbandonedUploadCleanup(
    IBlobStore store, IOptions<BlobStorageOptions> options, TimeProvider time, IServiceScopeFactory scopes, ILogger<AbandonedUploadCleanup> logger)
    : BackgroundService
{
    /// <summary>One pass: the store's abandoned uploads, then the database rows of uploads as old (completed or not).</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await store.CleanupAbandonedUploadsAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = time.GetUtcNow() - options.Value.AbandonedUploadAge;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetService<MessagingDbContext>();
        if (db is not null)
        {
            // Few rows (uploads in flight); filtered here because SQLite cannot compare DateTimeOffset in SQL.
            var rows = await db.BlobUploads.ToListAsync(cancellationToken).ConfigureAwait(false);
            db.BlobUploads.RemoveRange(rows.Where(r => r.CreatedAt <= cutoff));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CleanupInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var removed = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (removed > 0)
                {
                    LogRemoved(logger, removed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Removed {Count} abandoned blob uploads")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Cleaning up abandoned blob uploads failed ({ExceptionType}); retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}
