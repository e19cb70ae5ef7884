using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Transport;

internal sealed partial class HubLink
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Hub connected; joining {ReviewCount} reviews")]
        public static partial void Connected(ILogger logger, int reviewCount);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Hub connection failed; retrying in {Delay}")]
        public static partial void StartFailed(ILogger logger, Exception error, TimeSpan delay);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Hub connection lost; reconnecting")]
        public static partial void Reconnecting(ILogger logger, Exception? error);

        [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Joining review {ReviewId} failed")]
        public static partial void JoinFailed(ILogger logger, Exception error, Guid reviewId);

        [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Hub send of {Length} bytes failed in transport")]
        public static partial void SendTransportFailed(ILogger logger, Exception error, int length);
    }
}
