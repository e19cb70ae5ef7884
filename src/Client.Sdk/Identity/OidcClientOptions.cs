namespace SecureDialogue.Client.Identity;

/// <summary>How <see cref="OidcClient"/> signs in at an OpenID Connect provider.</summary>
public sealed record OidcClientOptions
{
    /// <summary>The client id of the <c>sdlg</c> command line at SecureDialogue's providers.</summary>
    public const string DefaultClientId = "sdlg-cli";

    /// <summary>
    /// The issuer URL, exactly as the provider's discovery document states it (for example
    /// <c>https://login.example.org/realms/un</c>). Plain <c>http</c> is accepted only on the loopback interface.
    /// </summary>
    public required Uri Issuer { get; init; }

    /// <summary>The public client registered for the command line.</summary>
    /// <value>Default <see cref="DefaultClientId"/>.</value>
    public string ClientId { get; init; } = DefaultClientId;

    /// <summary>Scopes to request.</summary>
    /// <value>Default <c>openid profile offline_access</c> (offline_access for a refresh token).</value>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "profile", "offline_access"];

    /// <summary>
    /// The RFC 8707 resource indicator of the SecureDialogue API, sent with every authorization and token
    /// request when set; <c>null</c> leaves the choice to the provider's default.
    /// </summary>
    /// <value>Default <c>null</c>.</value>
    public string? Resource { get; init; }

    /// <summary>Clock difference tolerated when checking an id_token's lifetime.</summary>
    /// <value>Default 2 minutes.</value>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>An access token that expires within this margin is refreshed before use.</summary>
    /// <value>Default 60 seconds.</value>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Polling interval of the device grant when the provider announces none (RFC 8628: 5 s).</summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan DefaultPollingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the loopback listener waits for the browser to come back.</summary>
    /// <value>Default 10 minutes.</value>
    public TimeSpan BrowserSignInTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Path of the loopback redirect URI, <c>http://127.0.0.1:PORT/callback</c>.</summary>
    /// <value>Default <c>/callback</c>.</value>
    public string RedirectPath { get; init; } = "/callback";

    /// <summary>The scopes as one space-separated string.</summary>
    internal string Scope => string.Join(' ', Scopes);

    /// <summary>Throws when an option is outside its range (a programming or configuration error).</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Issuer);
        if (!Issuer.IsAbsoluteUri)
        {
            throw new ArgumentException("The issuer must be an absolute URL.", nameof(Issuer));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(ClientId);
        if (Scopes.Count == 0 || !Scopes.Contains("openid", StringComparer.Ordinal))
        {
            throw new ArgumentException("The scopes must include 'openid'.", nameof(Scopes));
        }

        if (Scopes.Any(s => string.IsNullOrEmpty(s) || s.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("A scope is empty or contains white space.", nameof(Scopes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RefreshMargin, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultPollingInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BrowserSignInTimeout, TimeSpan.Zero);
        if (!RedirectPath.StartsWith('/') || RedirectPath.Contains('?', StringComparison.Ordinal) || RedirectPath.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException("The redirect path must start with '/' and have no query or fragment.", nameof(RedirectPath));
        }
    }
}
