using Microsoft.AspNetCore.SignalR;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// Cross-cutting for hub calls: a refusal (<see cref="HubException"/> with a problem code) is an expected outcome,
/// already logged by the command without content, so it passes through silently; anything else is a server fault,
/// logged here once with its exception and sent to the caller as the bare code <c>internal-error</c>. (SignalR's own
/// dispatcher log, which would report every refusal as an error, is filtered out in <see cref="DialogueEndpoints"/>.)
/// </summary>
internal sealed partial class DialogueHubFilter(ILogger<DialogueHubFilter> logger) : IHubFilter
{
    /// <summary>The code a caller gets for a server fault.</summary>
    public const string InternalError = "internal-error";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            Log.Failed(logger, invocationContext.HubMethodName, e);
            throw new HubException(InternalError);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 591, Level = LogLevel.Error, Message = "Hub method {Method} failed")]
        public static partial void Failed(ILogger logger, string method, Exception exception);
    }
}
