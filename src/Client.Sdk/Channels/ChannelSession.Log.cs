using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Channel alert {Kind} (epoch {Epoch})")]
        public static partial void AlertRaised(ILogger logger, ChannelAlertKind kind, uint? epoch);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Published epoch {Epoch} with {MemberCount} member devices")]
        public static partial void EpochPublished(ILogger logger, uint epoch, int memberCount);

        [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Epoch {Epoch} lost a race ({Attempt}); refetching")]
        public static partial void EpochConflict(ILogger logger, uint epoch, int attempt);

        [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Processed {Count} items up to sequence {Sequence}")]
        public static partial void Processed(ILogger logger, int count, long sequence);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Item {ClientMessageId} ({Length} bytes) queued: the server is unreachable")]
        public static partial void Queued(ILogger logger, Guid clientMessageId, int length);

        [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Item {ClientMessageId} resealed with counter {Counter} after {ProblemType}")]
        public static partial void Resealed(ILogger logger, Guid clientMessageId, ulong counter, string problemType);

        [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Outbox flush failed")]
        public static partial void BackgroundFlushFailed(ILogger logger, Exception error);

        [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Watch read failed ({ProblemType}); retrying in {Delay}")]
        public static partial void WatchReadFailed(ILogger logger, string problemType, TimeSpan delay);

        [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Refresh after a trust change failed ({ProblemType}); the next refresh retries")]
        public static partial void BackgroundRefreshFailed(ILogger logger, string problemType);
    }
}
