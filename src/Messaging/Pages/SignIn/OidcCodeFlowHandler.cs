using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Pages.SignIn;

/// <summary>
/// The framework's OAuth handler (authorization code, PKCE, state and correlation cookie) completed into an OpenID
/// Connect relying party: endpoints from the provider's discovery document, a <c>nonce</c> bound to the protected
/// state, and the <c>id_token</c> validated (signature by the provider's JWKS, issuer, audience = client id, lifetime,
/// nonce) before the account is bound and the page session opened. The access token is not used or kept.
/// </summary>
internal sealed partial class OidcCodeFlowHandler(
    IOptionsMonitor<OAuthOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IConfigurationManager<OpenIdConnectConfiguration> discovery,
    IOptions<SignInOptions> signIn)
    : OAuthHandler<OAuthOptions>(options, loggerFactory, encoder)
{
    private const string NonceItem = "sdlg_nonce";
    private OpenIdConnectConfiguration? _configuration;

    // Discovery is fetched only when a sign-in starts or returns (the handler is initialized on every request, and
    // an unreachable provider must not fail requests that have nothing to do with it); the manager caches it.
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!await TryDiscoverAsync().ConfigureAwait(false))
        {
            Response.Redirect(SecretariatRoutes.SignIn + "?failed=1");
            return;
        }

        await base.HandleChallengeAsync(properties).ConfigureAwait(false);
    }

    protected override async Task<HandleRequestResult> HandleRemoteAuthenticateAsync() =>
        await TryDiscoverAsync().ConfigureAwait(false)
            ? await base.HandleRemoteAuthenticateAsync().ConfigureAwait(false)
            : HandleRequestResult.Fail("The identity provider's discovery document is not available.");

    private async Task<bool> TryDiscoverAsync()
    {
        try
        {
            _configuration = await discovery.GetConfigurationAsync(Context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Log.DiscoveryFailed(Logger, e.GetType());
            return false;
        }

        Options.AuthorizationEndpoint = _configuration.AuthorizationEndpoint;
        Options.TokenEndpoint = _configuration.TokenEndpoint;
        return true;
    }

    protected override string BuildChallengeUrl(AuthenticationProperties properties, string redirectUri)
    {
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        properties.Items[NonceItem] = nonce;
        return QueryHelpers.AddQueryString(base.BuildChallengeUrl(properties, redirectUri), "nonce", nonce);
    }

    protected override async Task<AuthenticationTicket> CreateTicketAsync(System.Security.Claims.ClaimsIdentity identity, AuthenticationProperties properties, OAuthTokenResponse tokens)
    {
        var configuration = _configuration ?? await discovery.GetConfigurationAsync(Context.RequestAborted).ConfigureAwait(false);
        var idToken = tokens.Response?.RootElement.TryGetProperty("id_token", out var value) == true ? value.GetString() : null;
        if (string.IsNullOrEmpty(idToken))
        {
            throw new AuthenticationFailureException("The provider returned no id_token.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = Options.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
        };
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(idToken, parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            var reason = result.Exception is null ? typeof(void) : result.Exception.GetType();
            Log.Refused(Logger, reason);
            throw new AuthenticationFailureException("The id_token is not valid.");
        }

        if (!properties.Items.TryGetValue(NonceItem, out var nonce) || nonce is null ||
            !token.TryGetPayloadValue<string>("nonce", out var tokenNonce) ||
            !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(nonce), System.Text.Encoding.UTF8.GetBytes(tokenNonce ?? string.Empty)))
        {
            Log.Refused(Logger, typeof(SecurityTokenInvalidSignatureException));
            throw new AuthenticationFailureException("The id_token's nonce does not match the sign-in.");
        }

        var issuer = Issuers.Normalize(token.Issuer);
        var subject = token.Subject;
        if (issuer.Length is 0 or > AccountBinder.MaxIssuerLength || string.IsNullOrEmpty(subject) || subject.Length > AccountBinder.MaxSubjectLength)
        {
            throw new AuthenticationFailureException("The id_token has no usable issuer or subject.");
        }

        var settings = signIn.Value;
        var secretariat = token.Claims.Any(c => c.Type == settings.SecretariatClaim && c.Value == settings.SecretariatValue);
        var displayName = token.Claims.FirstOrDefault(c => c.Type == settings.DisplayNameClaim)?.Value;
        var fallbackName = token.Claims.FirstOrDefault(c => c.Type == JwtRegisteredClaimNames.PreferredUsername)?.Value;
        var binder = Context.RequestServices.GetRequiredService<AccountBinder>();
        var accountId = await binder.BindAsync(issuer, subject, displayName, fallbackName, secretariat, Context.RequestAborted).ConfigureAwait(false);
        properties.Items.Remove(NonceItem);
        return new AuthenticationTicket(PagesAuthentication.Principal(accountId, secretariat, displayName ?? fallbackName ?? subject), properties, PagesAuthentication.CookieScheme);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 751, Level = LogLevel.Information, Message = "Page sign-in refused: the id_token did not validate ({Reason})")]
        public static partial void Refused(ILogger logger, Type reason);

        [LoggerMessage(EventId = 753, Level = LogLevel.Warning, Message = "Page sign-in: the identity provider's discovery document could not be fetched ({Reason})")]
        public static partial void DiscoveryFailed(ILogger logger, Type reason);
    }
}
