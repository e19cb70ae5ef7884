using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Identity;

/// <summary>Log events of the OpenID Connect client: grants, lifetimes and error kinds, never a token or code.</summary>
public sealed partial class OidcClient
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Device authorization started: code valid {LifetimeSeconds} s, polling every {IntervalSeconds} s")]
    private static partial void LogDeviceAuthorizationStarted(ILogger logger, long lifetimeSeconds, double intervalSeconds);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Device authorization: provider asked to slow down; polling every {IntervalSeconds} s")]
    private static partial void LogDevicePollSlowDown(ILogger logger, double intervalSeconds);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Device authorization: provider unreachable ({Failures} in a row); polling every {IntervalSeconds} s")]
    private static partial void LogDevicePollTransientFailure(ILogger logger, int failures, double intervalSeconds);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Tokens issued by the {Grant} grant: access token valid {ExpiresInSeconds} s, refresh token: {HasRefreshToken}")]
    private static partial void LogTokensIssued(ILogger logger, string grant, long expiresInSeconds, bool hasRefreshToken);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "The {Grant} grant failed: {Kind}")]
    private static partial void LogTokensRejected(ILogger logger, string grant, IdentityErrorKind kind);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "An id_token names an unknown signing key: fetching the provider's JWKS again")]
    private static partial void LogSigningKeysRefetched(ILogger logger);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Token revocation failed: {Reason}")]
    private static partial void LogRevocationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Signed out; tokens revoked at the provider: {Revoked}")]
    private static partial void LogSignedOut(ILogger logger, bool revoked);
}
