using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Every <see cref="BlobStorageOptions.CleanupInterval"/> (by the injected <see cref="TimeProvider"/>), removes
/// uploads begun more than <see cref="BlobStorageOptions.AbandonedUploadAge"/> ago. A failed pass is logged
/// and retried at the next tick.
/// </summary>
internal sealed partial class AbandonedUploadCleanup(
    IBlobStore store, IOptions<BlobStorageOptions> options, TimeProvider time, ILogger<AbandonedUploadCleanup> logger) : BackgroundService
{
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
                var removed = await store.CleanupAbandonedUploadsAsync(stoppingToken).ConfigureAwait(false);
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
