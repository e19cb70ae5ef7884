using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureDialogue.Client.Identity.Protocol;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// Signs a public client (the <c>sdlg</c> command line) in at an OpenID Connect provider: device
/// authorization grant (RFC 8628), authorization code with PKCE and a loopback redirect (RFC 7636, RFC 8252),
/// refresh, and revocation (RFC 7009). Every id_token is validated (signature with the provider's JWKS,
/// issuer, audience, lifetime, nonce) before its identity is used. Expected failures are
/// <see cref="IdentityError"/> values; tokens are never logged.
/// </summary>
public sealed partial class OidcClient
{
    private readonly OidcClientOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProviderDiscovery _discovery;

    /// <summary>Creates a client; nothing is fetched until the first operation.</summary>
    /// <param name="options">The provider and the client registration.</param>
    /// <param name="httpClient">Used for every request to the provider; the caller owns it.</param>
    /// <param name="timeProvider">The clock for lifetimes, polling and time-outs. Default: the system clock.</param>
    /// <param name="logger">Receives events without tokens or codes. Default: none.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public OidcClient(OidcClientOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        options.Validate();
        _options = options;
        _http = httpClient;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _discovery = new ProviderDiscovery(httpClient, options.Issuer, _time);
    }

    /// <summary>The options this client was created with.</summary>
    public OidcClientOptions Options => _options;

    /// <summary>
    /// Exchanges a refresh token for fresh tokens. A rotated refresh token replaces the old one; a new
    /// id_token is validated and must name the same subject.
    /// </summary>
    /// <returns>The new token set; <see cref="IdentityErrorKind.RefreshRejected"/> when the person must sign in again.</returns>
    public async Task<Result<TokenSet, IdentityError>> RefreshAsync(TokenSet tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.RefreshToken is null)
        {
            return new IdentityError(IdentityErrorKind.RefreshRejected, "there is no refresh token: sign in again");
        }

        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        if (!string.Equals(tokens.Issuer, metadata.Issuer, StringComparison.Ordinal) || !string.Equals(tokens.ClientId, _options.ClientId, StringComparison.Ordinal))
        {
            return new IdentityError(IdentityErrorKind.RefreshRejected, $"the tokens were issued by {tokens.Issuer} to {tokens.ClientId}, not by {metadata.Issuer} to {_options.ClientId}");
        }

        var form = WithResource(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", tokens.RefreshToken),
            new("client_id", _options.ClientId),
        ]);
        var response = await OAuthRequest.PostFormAsync(_http, metadata.TokenEndpoint, form, ProtocolJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            var error = response.Failure ?? (response.ErrorCode == "invalid_grant"
                ? new IdentityError(IdentityErrorKind.RefreshRejected, $"the provider refused the refresh token ({response.DescribeError()}): sign in again")
                : new IdentityError(IdentityErrorKind.ProviderError, $"refresh failed: {response.DescribeError()}"));
            LogTokensRejected(_logger, "refresh_token", error.Kind);
            return error;
        }

        return await ToTokenSetAsync("refresh_token", response.Value!, expectedNonce: null, previous: tokens, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs out: revokes the cached tokens at the provider when it has a revocation endpoint (see
    /// <see cref="RevokeAsync"/>), then deletes the cache whatever the provider answered.
    /// </summary>
    public async Task<SignOutResult> SignOutAsync(TokenCache cache, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var loaded = await cache.LoadAsync(cancellationToken).ConfigureAwait(false);
        var revoked = false;
        if (loaded.TryGetValue(out var tokens, out _) && !tokens.IsDevelopmentSignIn)
        {
            revoked = await RevokeAsync(tokens, cancellationToken).ConfigureAwait(false);
        }

        var deleted = cache.Delete();
        LogSignedOut(_logger, revoked);
        return new SignOutResult(WasSignedIn: deleted || loaded.IsSuccess, Revoked: revoked);
    }

    /// <summary>
    /// Revokes the refresh token, which ends the grant, or the access token when there is no refresh token
    /// (RFC 7009). Best effort: false when the provider has no revocation endpoint, is unreachable or refuses.
    /// </summary>
    public async Task<bool> RevokeAsync(TokenSet tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out _) || metadata.RevocationEndpoint is not { } endpoint)
        {
            LogRevocationFailed(_logger, "the provider has no revocation endpoint");
            return false;
        }

        // RFC 7009 section 2.1: revoking the refresh token ends the grant and its access tokens too. A JWT
        // access token alone often cannot be revoked (it expires instead); it is tried only without one.
        return tokens.RefreshToken is { } refreshToken
            ? await RevokeOneAsync(endpoint, refreshToken, "refresh_token", cancellationToken).ConfigureAwait(false)
            : await RevokeOneAsync(endpoint, tokens.AccessToken, "access_token", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates an id_token against this client's provider (exposed for tests).</summary>
    internal async Task<Result<SignedInIdentity, IdentityError>> ValidateIdTokenAsync(string idToken, string? expectedNonce, CancellationToken cancellationToken)
    {
        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        var validator = new IdTokenValidator(metadata.Issuer, _options.ClientId, _options.ClockSkew, _time);
        var refresh = false;
        while (true)
        {
            var keys = await _discovery.GetSigningKeysAsync(refresh, cancellationToken).ConfigureAwait(false);
            if (!keys.TryGetValue(out var signingKeys, out var keysError))
            {
                return keysError;
            }

            var result = await validator.ValidateAsync(idToken, signingKeys, expectedNonce).ConfigureAwait(false);
            if (result.IsSuccess || refresh || !IdTokenValidator.IsUnknownKey(result.Error))
            {
                return result;
            }

            // The provider may have rotated its keys since the JWKS was fetched: fetch once more.
            LogSigningKeysRefetched(_logger);
            refresh = true;
        }
    }

    private async Task<bool> RevokeOneAsync(Uri endpoint, string token, string hint, CancellationToken cancellationToken)
    {
        var form = new KeyValuePair<string, string>[] { new("token", token), new("token_type_hint", hint), new("client_id", _options.ClientId) };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogRevocationFailed(_logger, $"{hint}: HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (HttpRequestException e)
        {
            LogRevocationFailed(_logger, $"{hint}: {e.HttpRequestError}");
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRevocationFailed(_logger, $"{hint}: time-out");
            return false;
        }
    }

    /// <summary>Checks a token response and builds the token set (OpenID Connect Core 3.1.3.5 and 12.2).</summary>
    private async Task<Result<TokenSet, IdentityError>> ToTokenSetAsync(string grant, TokenResponse response, string? expectedNonce, TokenSet? previous, CancellationToken cancellationToken)
    {
        var result = await BuildTokenSetAsync(response, expectedNonce, previous, cancellationToken).ConfigureAwait(false);
        if (result.TryGetValue(out var tokens, out var error))
        {
            var validSeconds = (long)(tokens.AccessTokenExpiresAt - _time.GetUtcNow()).TotalSeconds;
            LogTokensIssued(_logger, grant, validSeconds, tokens.RefreshToken is not null);
        }
        else
        {
            LogTokensRejected(_logger, grant, error.Kind);
        }

        return result;
    }

    private async Task<Result<TokenSet, IdentityError>> BuildTokenSetAsync(TokenResponse response, string? expectedNonce, TokenSet? previous, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(response.AccessToken))
        {
            return new IdentityError(IdentityErrorKind.TokenResponseInvalid, "the token response has no access_token");
        }

        if (!string.Equals(response.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return new IdentityError(IdentityErrorKind.TokenResponseInvalid, $"the token type is '{response.TokenType}', not Bearer");
        }

        SignedInIdentity identity;
        if (!string.IsNullOrEmpty(response.IdToken))
        {
            var validated = await ValidateIdTokenAsync(response.IdToken, expectedNonce, cancellationToken).ConfigureAwait(false);
            if (!validated.TryGetValue(out var fromIdToken, out var error))
            {
                return error;
            }

            if (previous is not null && (fromIdToken.Subject != previous.Identity.Subject || fromIdToken.Issuer != previous.Issuer))
            {
                return new IdentityError(IdentityErrorKind.IdTokenSubjectChanged, "the refreshed id_token names another account");
            }

            identity = fromIdToken;
        }
        else if (previous is not null)
        {
            identity = previous.Identity;
        }
        else
        {
            return new IdentityError(IdentityErrorKind.TokenResponseInvalid, "the token response has no id_token (is the 'openid' scope granted?)");
        }

        var expiresAt = ExpiryOf(response);
        return previous is null
            ? new TokenSet(_options.ClientId, identity, response.AccessToken, expiresAt, response.RefreshToken, response.IdToken)
            : previous.Refreshed(response.AccessToken, expiresAt, response.RefreshToken, response.IdToken, identity);
    }

    /// <summary>expires_in when given; else the access token's own exp when it is a JWT; else five minutes.</summary>
    private DateTimeOffset ExpiryOf(TokenResponse response)
    {
        var now = _time.GetUtcNow();
        if (response.ExpiresIn is > 0 and < int.MaxValue)
        {
            return now.AddSeconds(response.ExpiresIn.Value);
        }

        if (TokenSet.TryDecode(response.AccessToken!, out var jwt) && jwt.ValidTo != DateTime.MinValue)
        {
            return new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        }

        return now.AddMinutes(5);
    }

    private List<KeyValuePair<string, string>> WithResource(List<KeyValuePair<string, string>> form)
    {
        if (_options.Resource is { } resource)
        {
            form.Add(new("resource", resource));
        }

        return form;
    }
}

/// <summary>The outcome of <see cref="OidcClient.SignOutAsync"/>.</summary>
/// <param name="WasSignedIn">True when a token cache existed (and was deleted).</param>
/// <param name="Revoked">True when the provider confirmed the revocation of the tokens.</param>
public readonly record struct SignOutResult(bool WasSignedIn, bool Revoked);
