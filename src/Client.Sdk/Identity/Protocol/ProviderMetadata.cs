using System.Net;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>A provider's discovery document after validation: the issuer matches, every endpoint is secure.</summary>
internal sealed record ProviderMetadata(
    string Issuer,
    Uri AuthorizationEndpoint,
    Uri TokenEndpoint,
    Uri? DeviceAuthorizationEndpoint,
    Uri? RevocationEndpoint,
    Uri JwksUri,
    bool SupportsS256,
    bool ReturnsIssuerInAuthorizationResponse)
{
    /// <summary>Validates a discovery document fetched for <paramref name="configuredIssuer"/>.</summary>
    public static Result<ProviderMetadata, IdentityError> From(DiscoveryDocument document, Uri configuredIssuer)
    {
        if (string.IsNullOrEmpty(document.Issuer))
        {
            return new IdentityError(IdentityErrorKind.DiscoveryInvalid, "the discovery document has no issuer");
        }

        // OpenID Connect Discovery 1.0 section 4.3: the issuer must be the one asked for. A trailing slash
        // typed by a person is forgiven; nothing else is.
        if (!string.Equals(TrimSlash(document.Issuer), TrimSlash(configuredIssuer.OriginalString), StringComparison.Ordinal))
        {
            return new IdentityError(IdentityErrorKind.IssuerMismatch,
                $"the provider at {configuredIssuer} says its issuer is {document.Issuer}");
        }

        if (!Uri.TryCreate(document.Issuer, UriKind.Absolute, out var issuerUri) || !IsSecure(issuerUri))
        {
            return new IdentityError(IdentityErrorKind.InsecureEndpoint, $"the issuer {document.Issuer} is not https (plain http is allowed on 127.0.0.1 only)");
        }

        var errors = new List<string>();
        var authorization = Endpoint(document.AuthorizationEndpoint, "authorization_endpoint", required: true, errors);
        var token = Endpoint(document.TokenEndpoint, "token_endpoint", required: true, errors);
        var jwks = Endpoint(document.JwksUri, "jwks_uri", required: true, errors);
        var device = Endpoint(document.DeviceAuthorizationEndpoint, "device_authorization_endpoint", required: false, errors);
        var revocation = Endpoint(document.RevocationEndpoint, "revocation_endpoint", required: false, errors);
        if (errors.Count > 0)
        {
            var insecure = errors.Any(e => e.Contains("not https", StringComparison.Ordinal));
            return new IdentityError(insecure ? IdentityErrorKind.InsecureEndpoint : IdentityErrorKind.DiscoveryInvalid, string.Join("; ", errors));
        }

        // Absent means unknown (many providers omit it); a list without S256 means no.
        var supportsS256 = document.CodeChallengeMethodsSupported is not { } methods || methods.Contains("S256", StringComparer.Ordinal);
        return new ProviderMetadata(document.Issuer, authorization!, token!, device, revocation, jwks!, supportsS256,
            document.AuthorizationResponseIssParameterSupported);
    }

    /// <summary>The discovery URL of an issuer (OpenID Connect Discovery 1.0 section 4.1).</summary>
    public static Uri DiscoveryUri(Uri issuer) => new(TrimSlash(issuer.OriginalString) + "/.well-known/openid-configuration");

    /// <summary>True for https, and for http on the loopback interface (RFC 8252 section 8.3).</summary>
    public static bool IsSecure(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static Uri? Endpoint(string? value, string name, bool required, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add($"{name} is missing");
            }

            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"{name} is not an absolute URL");
            return null;
        }

        if (!IsSecure(uri))
        {
            errors.Add($"{name} {uri} is not https (plain http is allowed on 127.0.0.1 only)");
            return null;
        }

        return uri;
    }

    private static string TrimSlash(string value) => value.EndsWith('/') ? value[..^1] : value;
}
