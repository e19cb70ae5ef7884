using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Identity;

/// <summary>Log events of the access token source: lifetimes and error kinds, never a token.</summary>
public sealed partial class AccessTokenSource
{
    [LoggerMessage(EventId = 3120, Level = LogLevel.Debug, Message = "Access token refreshed: valid {ExpiresInSeconds} s")]
    private static partial void LogRefreshed(ILogger logger, long expiresInSeconds);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Access token refresh failed: {Kind}")]
    private static partial void LogRefreshFailed(ILogger logger, IdentityErrorKind kind);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Warning, Message = "Refreshed tokens could not be saved to the cache: {Kind}")]
    private static partial void LogCacheSaveFailed(ILogger logger, IdentityErrorKind kind);
}
