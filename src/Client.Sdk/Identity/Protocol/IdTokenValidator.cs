using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>
/// Validates an id_token (OpenID Connect Core 1.0 section 3.1.3.7): a JWS signed with one of the provider's
/// published asymmetric keys, issued by the configured issuer, for this client, within its lifetime, and
/// carrying the nonce of the sign-in that asked for it.
/// </summary>
internal sealed class IdTokenValidator
{
    /// <summary>Asymmetric algorithms only: never <c>none</c>, never HMAC with a public client.</summary>
    private static readonly string[] AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private const string UnknownKeyDetail = "the id_token is signed with an unknown key";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly string _issuer;
    private readonly string _clientId;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _time;

    public IdTokenValidator(string issuer, string clientId, TimeSpan clockSkew, TimeProvider time)
    {
        _issuer = issuer;
        _clientId = clientId;
        _clockSkew = clockSkew;
        _time = time;
    }

    /// <summary>
    /// Validates <paramref name="idToken"/> with <paramref name="signingKeys"/>. <paramref name="expectedNonce"/>
    /// is the nonce the authorization request sent, or <c>null</c> for grants without one (device code, refresh).
    /// </summary>
    public async Task<Result<SignedInIdentity, IdentityError>> ValidateAsync(string idToken, IReadOnlyList<SecurityKey> signingKeys, string? expectedNonce)
    {
        if (!_handler.CanReadToken(idToken))
        {
            return Error(IdentityErrorKind.IdTokenMalformed, "the id_token is not a JWT");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _issuer,
            ValidAudience = _clientId,
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = AllowedAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            // The lifetime is checked below against the injected clock (the handler reads the system clock).
            ValidateLifetime = false,
            ValidateIssuerSigningKey = true,
        };

        var result = await _handler.ValidateTokenAsync(idToken, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Classify(result.Exception);
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (CheckLifetime(token) is { } lifetimeError)
        {
            return lifetimeError;
        }

        if (string.IsNullOrEmpty(token.Subject))
        {
            return Error(IdentityErrorKind.IdTokenMalformed, "the id_token has no subject");
        }

        // Section 3.1.3.7 items 4 and 5: with several audiences, azp must be this client.
        if (token.Audiences.Count() > 1
            && (!token.TryGetPayloadValue<string>("azp", out var azp) || !string.Equals(azp, _clientId, StringComparison.Ordinal)))
        {
            return Error(IdentityErrorKind.IdTokenAudienceInvalid, "the id_token is for several audiences and not authorized for this client");
        }

        if (expectedNonce is not null)
        {
            var hasNonce = token.TryGetPayloadValue<string>("nonce", out var nonce) && nonce is not null;
            if (!hasNonce || !FixedTimeEquals(nonce!, expectedNonce))
            {
                return Error(IdentityErrorKind.IdTokenNonceMismatch, "the id_token's nonce is not the one this sign-in sent");
            }
        }

        return SignedInIdentity.FromToken(token);
    }

    /// <summary>Section 3.1.3.7 items 9 and 10: exp required and in the future; iat and nbf not in the future.</summary>
    private IdentityError? CheckLifetime(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            return new IdentityError(IdentityErrorKind.IdTokenMalformed, "the id_token has no expiry");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)_clockSkew.TotalSeconds;
        if (now > exp + skew)
        {
            return new IdentityError(IdentityErrorKind.IdTokenExpired, "the id_token has expired");
        }

        var notBefore = token.TryGetPayloadValue<long>("nbf", out var nbf) ? nbf : long.MinValue;
        var issuedAt = token.TryGetPayloadValue<long>("iat", out var iat) ? iat : long.MinValue;
        if (Math.Max(notBefore, issuedAt) > now + skew)
        {
            return new IdentityError(IdentityErrorKind.IdTokenExpired, "the id_token is not valid yet (check the clock)");
        }

        return null;
    }

    /// <summary>True when the failure means the token names a key the cached JWKS does not have.</summary>
    public static bool IsUnknownKey(IdentityError error) =>
        error.Kind == IdentityErrorKind.IdTokenSignatureInvalid && string.Equals(error.Detail, UnknownKeyDetail, StringComparison.Ordinal);

    private static Result<SignedInIdentity, IdentityError> Classify(Exception? exception) => exception switch
    {
        SecurityTokenSignatureKeyNotFoundException => Error(IdentityErrorKind.IdTokenSignatureInvalid, UnknownKeyDetail),
        SecurityTokenInvalidSignatureException => Error(IdentityErrorKind.IdTokenSignatureInvalid, "the id_token's signature does not verify"),
        SecurityTokenInvalidAlgorithmException => Error(IdentityErrorKind.IdTokenSignatureInvalid, "the id_token uses a signature algorithm that is not allowed"),
        SecurityTokenInvalidIssuerException => Error(IdentityErrorKind.IdTokenIssuerInvalid, "the id_token was issued by another issuer"),
        SecurityTokenInvalidAudienceException => Error(IdentityErrorKind.IdTokenAudienceInvalid, "the id_token is not for this client"),
        SecurityTokenExpiredException => Error(IdentityErrorKind.IdTokenExpired, "the id_token has expired"),
        SecurityTokenNotYetValidException => Error(IdentityErrorKind.IdTokenExpired, "the id_token is not valid yet (check the clock)"),
        SecurityTokenInvalidLifetimeException => Error(IdentityErrorKind.IdTokenExpired, "the id_token's lifetime is invalid"),
        SecurityTokenNoExpirationException => Error(IdentityErrorKind.IdTokenMalformed, "the id_token has no expiry"),
        _ => Error(IdentityErrorKind.IdTokenMalformed, $"the id_token is invalid ({exception?.GetType().Name ?? "unknown reason"})"),
    };

    private static Result<SignedInIdentity, IdentityError> Error(IdentityErrorKind kind, string detail) => new IdentityError(kind, detail);

    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
