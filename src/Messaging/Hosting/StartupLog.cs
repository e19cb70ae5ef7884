namespace SecureDialogue.Messaging.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "SecureDialogue Messaging started; data directory {DataDirectory}")]
    public static partial void Started(ILogger logger, string dataDirectory);
}
