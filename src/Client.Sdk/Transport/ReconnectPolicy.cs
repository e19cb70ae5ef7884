using Microsoft.AspNetCore.SignalR.Client;

namespace SecureDialogue.Client.Transport;

/// <summary>Reconnects forever, with the given delays and then the last one again.</summary>
internal sealed class ReconnectPolicy(IReadOnlyList<TimeSpan> delays) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        delays.Count == 0 ? TimeSpan.FromSeconds(5) : delays[(int)Math.Min(retryContext.PreviousRetryCount, delays.Count - 1)];
}
