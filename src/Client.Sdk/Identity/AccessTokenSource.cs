using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureDialogue.Client.Identity.Cache;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// Hands out a valid access token for the SecureDialogue API and hub: the cached one while it is fresh,
/// else a refreshed one (saved back to the cache). Refreshes are serialised within the process and, through
/// a lock file, across <c>sdlg</c> processes sharing the profile. Thread-safe.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim never allocates its wait handle (no AvailableWaitHandle): nothing to dispose.")]
public sealed partial class AccessTokenSource
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly TokenCache _cache;
    private readonly OidcClient? _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TokenSet? _current;

    /// <summary>Creates a source over <paramref name="cache"/>.</summary>
    /// <param name="cache">Where the tokens are kept.</param>
    /// <param name="client">Refreshes the tokens; <c>null</c> for the development sign-in, which cannot refresh.</param>
    /// <param name="timeProvider">The clock. Default: the client's, else the system clock.</param>
    /// <param name="logger">Receives events without tokens. Default: none.</param>
    public AccessTokenSource(TokenCache cache, OidcClient? client, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
        _margin = client?.Options.RefreshMargin ?? TimeSpan.FromSeconds(60);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A valid access token, refreshed first when it expires within the refresh margin.</summary>
    public async Task<Result<string, IdentityError>> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var tokens = await GetTokensAsync(cancellationToken).ConfigureAwait(false);
        return tokens.TryGetValue(out var value, out var error) ? value.AccessToken : error;
    }

    /// <summary>The current token set, refreshed first when its access token expires within the refresh margin.</summary>
    public async Task<Result<TokenSet, IdentityError>> GetTokensAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _current) is { } known && known.IsAccessTokenFresh(_time.GetUtcNow(), _margin))
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = await LoadFreshOrStaleAsync(cancellationToken).ConfigureAwait(false);
            if (!loaded.TryGetValue(out var tokens, out var loadError) || tokens.IsAccessTokenFresh(_time.GetUtcNow(), _margin))
            {
                return loaded;
            }

            if (_client is null || tokens.RefreshToken is null)
            {
                return StillValidOr(tokens, new IdentityError(IdentityErrorKind.RefreshRejected, "the access token expired and cannot be refreshed: sign in again"));
            }

            using var fileLock = await TokenCacheLock.AcquireAsync(_cache, LockTimeout, _time, cancellationToken).ConfigureAwait(false);
            if (fileLock is null)
            {
                return StillValidOr(tokens, new IdentityError(IdentityErrorKind.CacheWriteFailed, $"another process holds {_cache.LockPath}"));
            }

            // Another process may have refreshed while this one waited for the lock.
            loaded = await LoadFreshOrStaleAsync(cancellationToken).ConfigureAwait(false);
            if (!loaded.TryGetValue(out tokens, out loadError) || tokens.IsAccessTokenFresh(_time.GetUtcNow(), _margin))
            {
                return loaded;
            }

            var refreshed = await _client.RefreshAsync(tokens, cancellationToken).ConfigureAwait(false);
            if (!refreshed.TryGetValue(out var fresh, out var refreshError))
            {
                LogRefreshFailed(_logger, refreshError.Kind);
                // A provider that is briefly unreachable does not end a session whose token still works.
                return refreshError.Kind == IdentityErrorKind.ProviderUnreachable ? StillValidOr(tokens, refreshError) : refreshError;
            }

            if (await _cache.SaveAsync(fresh, cancellationToken).ConfigureAwait(false) is { } saveError)
            {
                // The old refresh token may be spent already: keep the new tokens in memory at least.
                LogCacheSaveFailed(_logger, saveError.Kind);
            }

            Volatile.Write(ref _current, fresh);
            var validSeconds = (long)(fresh.AccessTokenExpiresAt - _time.GetUtcNow()).TotalSeconds;
            LogRefreshed(_logger, validSeconds);
            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Result<TokenSet, IdentityError>> LoadFreshOrStaleAsync(CancellationToken cancellationToken)
    {
        var loaded = await _cache.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (!loaded.TryGetValue(out var tokens, out _))
        {
            return loaded;
        }

        if (_client is not null && !tokens.IsDevelopmentSignIn
            && (!string.Equals(tokens.ClientId, _client.Options.ClientId, StringComparison.Ordinal) || !SameIssuer(tokens.Issuer, _client.Options.Issuer)))
        {
            return new IdentityError(IdentityErrorKind.NotSignedIn, $"signed in at {tokens.Issuer}, not at {_client.Options.Issuer}: sign in again");
        }

        Volatile.Write(ref _current, tokens);
        return tokens;
    }

    private Result<TokenSet, IdentityError> StillValidOr(TokenSet tokens, IdentityError error) =>
        tokens.IsAccessTokenFresh(_time.GetUtcNow(), TimeSpan.Zero) ? tokens : error;

    private static bool SameIssuer(string issuer, Uri configured) =>
        string.Equals(issuer.TrimEnd('/'), configured.OriginalString.TrimEnd('/'), StringComparison.Ordinal);
}
