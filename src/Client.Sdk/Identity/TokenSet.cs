using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// The tokens of one signed-in account. The tokens are secrets: <see cref="ToString"/> and the debugger show
/// the account and the expiry only, and nothing here logs them.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class TokenSet
{
    internal TokenSet(string clientId, SignedInIdentity identity, string accessToken, DateTimeOffset accessTokenExpiresAt, string? refreshToken, string? idToken)
    {
        ClientId = clientId;
        Identity = identity;
        AccessToken = accessToken;
        AccessTokenExpiresAt = accessTokenExpiresAt;
        RefreshToken = refreshToken;
        IdToken = idToken;
    }

    /// <summary>The issuer that signed the tokens.</summary>
    public string Issuer => Identity.Issuer;

    /// <summary>The client the tokens were issued to (<see cref="DevelopmentClientId"/> for the development sign-in).</summary>
    public string ClientId { get; }

    /// <summary>Who is signed in.</summary>
    public SignedInIdentity Identity { get; }

    /// <summary>The bearer token for the SecureDialogue API and hub. Secret.</summary>
    public string AccessToken { get; }

    /// <summary>When <see cref="AccessToken"/> expires.</summary>
    public DateTimeOffset AccessTokenExpiresAt { get; }

    /// <summary>The refresh token, or <c>null</c> when the provider issued none. Secret.</summary>
    public string? RefreshToken { get; }

    /// <summary>The id_token the identity was read from; <c>null</c> for the development sign-in. Secret.</summary>
    public string? IdToken { get; }

    /// <summary>The client id recorded for tokens of the embedded profile's development sign-in.</summary>
    public const string DevelopmentClientId = "securedialogue-dev";

    /// <summary>True for a token of the embedded profile's development sign-in (no OpenID provider, no refresh).</summary>
    public bool IsDevelopmentSignIn => IdToken is null && ClientId == DevelopmentClientId;

    /// <summary>True when the access token is still valid for longer than <paramref name="margin"/> at <paramref name="now"/>.</summary>
    public bool IsAccessTokenFresh(DateTimeOffset now, TimeSpan margin) => AccessTokenExpiresAt - margin > now;

    /// <summary>
    /// Wraps a token from the embedded profile's development sign-in (<c>POST /dev/token</c>). The identity is
    /// decoded from the token for display WITHOUT validation: the server validates every request's token.
    /// </summary>
    /// <param name="accessToken">The JWT the server returned.</param>
    /// <returns>The token set, or <see cref="IdentityErrorKind.TokenResponseInvalid"/> when it is not a JWT with iss, sub and exp.</returns>
    public static Result<TokenSet, IdentityError> FromDevelopmentSignIn(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        if (!TryDecode(accessToken, out var token) || string.IsNullOrEmpty(token.Issuer) || string.IsNullOrEmpty(token.Subject)
            || token.ValidTo == DateTime.MinValue)
        {
            return new IdentityError(IdentityErrorKind.TokenResponseInvalid, "the development sign-in did not return a JWT with iss, sub and exp");
        }

        return new TokenSet(DevelopmentClientId, SignedInIdentity.FromToken(token), accessToken,
            new DateTimeOffset(token.ValidTo, TimeSpan.Zero), refreshToken: null, idToken: null);
    }

    /// <summary>A copy after a refresh.</summary>
    internal TokenSet Refreshed(string accessToken, DateTimeOffset expiresAt, string? refreshToken, string? idToken, SignedInIdentity identity) =>
        new(ClientId, identity, accessToken, expiresAt, refreshToken ?? RefreshToken, idToken ?? IdToken);

    /// <summary>Decodes a JWT without validating it; false when it is not one.</summary>
    internal static bool TryDecode(string value, out JsonWebToken token)
    {
        try
        {
            token = new JsonWebToken(value);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            token = null!;
            return false;
        }
    }

    /// <summary>Names the account and the expiry, never a token.</summary>
    public override string ToString() =>
        $"TokenSet({Identity.Subject} at {Issuer}, access token until {AccessTokenExpiresAt:u}, refresh token: {(RefreshToken is null ? "no" : "yes")})";
}
