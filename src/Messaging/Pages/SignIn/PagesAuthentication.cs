using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Pages.SignIn;

/// <summary>
/// The pages' sign-in: a cookie session (scheme <see cref="CookieScheme"/>), opened either by the OpenID Connect
/// authorization code flow (scheme <see cref="OidcScheme"/>: the framework's OAuth handler with PKCE, plus id_token
/// validation with Microsoft.IdentityModel, <see cref="OidcCodeFlowHandler"/>) or, in the embedded profile only, by the
/// development sign-in form. The API keeps its bearer tokens: a page cookie never authenticates an API call.
/// </summary>
internal static class PagesAuthentication
{
    /// <summary>The page session cookie's scheme.</summary>
    public const string CookieScheme = "SecretariatPages";

    /// <summary>The OpenID Connect sign-in's scheme.</summary>
    public const string OidcScheme = "SecretariatOidc";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "sdlg-pages";

    /// <summary>Claim holding the display name in the page session.</summary>
    public const string NameClaim = "name";

    public static IServiceCollection AddPagesAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = new PagesSignInOptions();
        configuration.GetSection(PagesSignInOptions.Section).Bind(settings);
        settings.Authority ??= configuration[$"{SignInOptions.Section}:{nameof(SignInOptions.Authority)}"];
        services.AddOptions<PagesSignInOptions>().Bind(configuration.GetSection(PagesSignInOptions.Section))
            .PostConfigure(o => o.Authority ??= settings.Authority);

        var authentication = services.AddAuthentication().AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = settings.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = SecretariatRoutes.SignIn;
            cookie.AccessDeniedPath = SecretariatRoutes.SignIn;
        });

        if (settings.IsConfigured)
        {
            var authority = settings.Authority!.TrimEnd('/');
            services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(_ => new ConfigurationManager<OpenIdConnectConfiguration>(
                authority + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = settings.RequireHttpsMetadata }));
            authentication.AddOAuth<OAuthOptions, OidcCodeFlowHandler>(OidcScheme, oauth =>
            {
                oauth.SignInScheme = CookieScheme;
                oauth.ClientId = settings.ClientId!;
                oauth.ClientSecret = settings.ClientSecret ?? string.Empty;
                oauth.CallbackPath = settings.CallbackPath;
                oauth.UsePkce = true;
                oauth.SaveTokens = false;
                oauth.Scope.Clear();
                oauth.Scope.Add("openid");
                oauth.Scope.Add("profile");

                // Replaced from the provider's discovery document before every use (OidcCodeFlowHandler).
                oauth.AuthorizationEndpoint = authority + "/.well-known/openid-configuration";
                oauth.TokenEndpoint = authority + "/.well-known/openid-configuration";
                oauth.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oauth.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oauth.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect(SecretariatRoutes.SignIn + "?failed=1");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }

        return services;
    }

    /// <summary>The page session's principal: the caller's claims and display name.</summary>
    public static ClaimsPrincipal Principal(Guid accountId, bool isSecretariat, string displayName) =>
        new(new ClaimsIdentity([.. Caller.ToClaims(accountId, isSecretariat), new Claim(NameClaim, displayName)], CookieScheme, NameClaim, null));
}
