namespace SecureDialogue.Client.Identity;

/// <summary>Why a sign-in, a refresh, a token check or the token cache failed.</summary>
public enum IdentityErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The provider could not be reached, timed out or answered with a server error.</summary>
    ProviderUnreachable,

    /// <summary>The provider's discovery document or JWKS is malformed or misses a required endpoint.</summary>
    DiscoveryInvalid,

    /// <summary>The provider claims another issuer than the one configured (discovery or RFC 9207 <c>iss</c>).</summary>
    IssuerMismatch,

    /// <summary>An endpoint is plain HTTP on a host other than the loopback interface.</summary>
    InsecureEndpoint,

    /// <summary>The provider does not offer what this sign-in needs (device endpoint, PKCE S256, revocation).</summary>
    NotSupported,

    /// <summary>The person refused or cancelled the sign-in at the provider.</summary>
    AccessDenied,

    /// <summary>The device code expired before the person finished signing in.</summary>
    DeviceCodeExpired,

    /// <summary>No browser response reached the loopback listener in time.</summary>
    SignInTimedOut,

    /// <summary>The provider refused a request with another OAuth error (the detail names it).</summary>
    ProviderError,

    /// <summary>The token response is malformed (no access token, wrong token type, no id_token).</summary>
    TokenResponseInvalid,

    /// <summary>The id_token is not a well-formed signed JWT.</summary>
    IdTokenMalformed,

    /// <summary>The id_token's signature does not verify with the provider's published keys.</summary>
    IdTokenSignatureInvalid,

    /// <summary>The id_token was issued by another issuer.</summary>
    IdTokenIssuerInvalid,

    /// <summary>The id_token is not for this client.</summary>
    IdTokenAudienceInvalid,

    /// <summary>The id_token's nonce is not the one this sign-in sent.</summary>
    IdTokenNonceMismatch,

    /// <summary>The id_token has expired or is not valid yet.</summary>
    IdTokenExpired,

    /// <summary>A refreshed id_token names another subject than the signed-in one.</summary>
    IdTokenSubjectChanged,

    /// <summary>The refresh token was refused (expired, revoked or reused): sign in again.</summary>
    RefreshRejected,

    /// <summary>No tokens are cached: sign in first.</summary>
    NotSignedIn,

    /// <summary>The token cache is unreadable, malformed, or readable by other users.</summary>
    CacheUnreadable,

    /// <summary>The token cache could not be written.</summary>
    CacheWriteFailed,
}

/// <summary>
/// A typed identity failure. <see cref="Detail"/> is one line for people (an OAuth error code, a path, an
/// HTTP status) and never contains a token, a code or a secret.
/// </summary>
/// <param name="Kind">What failed.</param>
/// <param name="Detail">A short explanation, safe to print and to log.</param>
public readonly record struct IdentityError(IdentityErrorKind Kind, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Detail}";
}
