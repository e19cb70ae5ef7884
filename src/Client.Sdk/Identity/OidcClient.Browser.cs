using System.Text;
using SecureDialogue.Client.Identity.Protocol;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>The authorization code grant with PKCE (S256) and a loopback redirect (RFC 7636, RFC 8252).</summary>
public sealed partial class OidcClient
{
    /// <summary>
    /// Starts a browser sign-in: starts the loopback listener on 127.0.0.1 and a free port, and builds the
    /// authorization URI with a fresh state, nonce and PKCE challenge. Open <see cref="BrowserSignIn.AuthorizationUri"/>
    /// in a browser, then call <see cref="CompleteBrowserSignInAsync"/>; dispose the result in all cases.
    /// </summary>
    public async Task<Result<BrowserSignIn, IdentityError>> StartBrowserSignInAsync(CancellationToken cancellationToken = default)
    {
        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        if (!metadata.SupportsS256)
        {
            return new IdentityError(IdentityErrorKind.NotSupported, $"{metadata.Issuer} does not support PKCE with S256");
        }

        var state = Pkce.NewRandomValue();
        var nonce = Pkce.NewRandomValue();
        var verifier = Pkce.NewVerifier();
        var listener = await LoopbackRedirectListener.StartAsync(_options.RedirectPath, state, _logger, cancellationToken).ConfigureAwait(false);

        var parameters = WithResource(
        [
            new("response_type", "code"),
            new("client_id", _options.ClientId),
            new("redirect_uri", listener.RedirectUri.AbsoluteUri),
            new("scope", _options.Scope),
            new("state", state),
            new("nonce", nonce),
            new("code_challenge", Pkce.ChallengeOf(verifier)),
            new("code_challenge_method", "S256"),
        ]);
        // OpenID Connect Core 11: offline_access needs prompt=consent to be honoured by every provider.
        if (_options.Scopes.Contains("offline_access", StringComparer.Ordinal))
        {
            parameters.Add(new("prompt", "consent"));
        }

        var authorizationUri = WithQuery(metadata.AuthorizationEndpoint, parameters);
        return new BrowserSignIn(authorizationUri, listener, verifier, nonce);
    }

    /// <summary>
    /// Waits for the browser to come back to the loopback listener (at most
    /// <see cref="OidcClientOptions.BrowserSignInTimeout"/>), checks the response (state, RFC 9207 issuer),
    /// redeems the code with the PKCE verifier and validates the id_token including its nonce. Stops the
    /// listener.
    /// </summary>
    public async Task<Result<TokenSet, IdentityError>> CompleteBrowserSignInAsync(BrowserSignIn signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        try
        {
            var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
            if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
            {
                return metadataError;
            }

            var callback = await signIn.Listener.WaitAsync(_options.BrowserSignInTimeout, _time, cancellationToken).ConfigureAwait(false);
            if (callback is null)
            {
                return new IdentityError(IdentityErrorKind.SignInTimedOut, $"no answer from the browser within {_options.BrowserSignInTimeout.TotalMinutes:0.#} minutes");
            }

            // RFC 9207: a provider that announces the iss parameter must send its own issuer (mix-up defence).
            if (callback.Issuer is not null ? !string.Equals(callback.Issuer, metadata.Issuer, StringComparison.Ordinal) : metadata.ReturnsIssuerInAuthorizationResponse)
            {
                return new IdentityError(IdentityErrorKind.IssuerMismatch, "the authorization response comes from another issuer");
            }

            if (callback.Error is { } error)
            {
                return error == "access_denied"
                    ? new IdentityError(IdentityErrorKind.AccessDenied, "the sign-in was refused at the provider")
                    : new IdentityError(IdentityErrorKind.ProviderError, $"the provider answered {error}");
            }

            if (string.IsNullOrEmpty(callback.Code))
            {
                return new IdentityError(IdentityErrorKind.ProviderError, "the authorization response has no code");
            }

            var form = WithResource(
            [
                new("grant_type", "authorization_code"),
                new("code", callback.Code),
                new("redirect_uri", signIn.RedirectUri.AbsoluteUri),
                new("client_id", _options.ClientId),
                new("code_verifier", signIn.CodeVerifier),
            ]);
            var response = await OAuthRequest.PostFormAsync(_http, metadata.TokenEndpoint, form, ProtocolJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                var failure = response.Failure ?? new IdentityError(IdentityErrorKind.ProviderError, $"the code exchange failed: {response.DescribeError()}");
                LogTokensRejected(_logger, "authorization_code", failure.Kind);
                return failure;
            }

            return await ToTokenSetAsync("authorization_code", response.Value!, signIn.Nonce, previous: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await signIn.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Uri WithQuery(Uri endpoint, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder(endpoint.Query.Length > 1 ? endpoint.Query[1..] + "&" : string.Empty);
        foreach (var (name, value) in parameters)
        {
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        return new UriBuilder(endpoint) { Query = query.ToString(0, query.Length - 1) }.Uri;
    }
}
