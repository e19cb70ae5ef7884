using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>Log events of the loopback listener: ports and reasons only, never a code or a state value.</summary>
internal sealed partial class LoopbackRedirectListener
{
    [LoggerMessage(EventId = 3150, Level = LogLevel.Debug, Message = "Loopback redirect listener on 127.0.0.1 port {Port}")]
    private static partial void LogListening(ILogger logger, int port);

    [LoggerMessage(EventId = 3151, Level = LogLevel.Warning, Message = "Loopback redirect listener ignored a request: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);
}
