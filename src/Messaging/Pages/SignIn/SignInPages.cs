using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Pages.SignIn;

/// <summary>The sign-in page, the OpenID Connect challenge, the development sign-in (embedded only) and sign-out.</summary>
internal static partial class SignInPages
{
    public static async Task<IResult> ShowAsync(HttpContext http, IOptions<ServerOptions> server, IOptions<PagesSignInOptions> pages)
    {
        var page = await PageContext.CreateAsync(http).ConfigureAwait(false);
        if (page.Caller is { IsSecretariat: true })
        {
            return Results.Redirect(SecretariatRoutes.Dashboard);
        }

        var body = new Html();
        if (http.Request.Query.ContainsKey("failed"))
        {
            body.Element("p", page.T("signin.failed"), "class=\"error\" role=\"alert\"");
        }

        if (page.Caller is not null)
        {
            body.Element("p", page.T("forbidden.text"), "class=\"error\"");
        }

        body.Markup("<p>");
        if (pages.Value.IsConfigured)
        {
            body.Element("a", page.T("signin.oidc"), $"{Html.Attribute("href", SecretariatRoutes.OidcSignIn)} id=\"oidc-sign-in\"");
        }
        else
        {
            body.Text(page.T("signin.oidc.off"));
        }

        body.Markup("</p>");
        if (server.Value.ParsedProfile == ServerProfile.Embedded)
        {
            body.Element("h2", page.T("signin.dev.title"))
                .Element("p", page.T("signin.dev.warning"), "class=\"banner\"")
                .Markup("<form method=\"post\" ").Markup(Html.Attribute("action", SecretariatRoutes.DevSignIn)).Markup('>')
                .Markup(page.AntiforgeryField())
                .Markup("<p><label>").Text(page.T("signin.dev.user"))
                .Markup(" <input name=\"user\" required maxlength=\"64\" autocomplete=\"username\" value=\"secretariat\"></label></p>")
                .Markup("<p><label><input type=\"checkbox\" name=\"secretariat\" value=\"true\" checked> ").Text(page.T("signin.dev.secretariat")).Markup("</label></p>")
                .Element("button", page.T("signin.dev.submit"), "type=\"submit\" id=\"dev-sign-in\"")
                .Markup("</form>");
        }

        return Layout.Render(page, page.T("signin.title"), body);
    }

    /// <summary>Starts the authorization code flow (404 when no provider is configured for the pages).</summary>
    public static IResult Challenge() =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = SecretariatRoutes.Dashboard }, [PagesAuthentication.OidcScheme]);

    /// <summary>The development sign-in: the same accounts as <c>POST /dev/token</c> (issuer = the development issuer).</summary>
    public static async Task<IResult> DevAsync(HttpContext http, DevTokenIssuer issuer, ILogger<PageContext> logger)
    {
        var page = await PageContext.CreateAsync(http).ConfigureAwait(false);
        if (!http.Request.HasFormContentType || !await page.IsValidPostAsync().ConfigureAwait(false))
        {
            return Results.BadRequest();
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var user = form["user"].ToString().Trim();
        if (!DevTokenIssuer.IsValidUser(user))
        {
            return Layout.Render(page, page.T("signin.title"), new Html().Element("p", page.T("signin.dev.invalid"), "class=\"error\" role=\"alert\""), StatusCodes.Status400BadRequest);
        }

        var secretariat = string.Equals(form["secretariat"], "true", StringComparison.Ordinal);
        var binder = http.RequestServices.GetRequiredService<AccountBinder>();
        var accountId = await binder.BindAsync(issuer.Issuer, user, null, user, secretariat, http.RequestAborted).ConfigureAwait(false);
        Log.DevSignIn(logger, accountId, secretariat);
        await http.SignInAsync(PagesAuthentication.CookieScheme, PagesAuthentication.Principal(accountId, secretariat, user)).ConfigureAwait(false);
        return Results.Redirect(SecretariatRoutes.Dashboard);
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        var page = await PageContext.CreateAsync(http).ConfigureAwait(false);
        if (!await page.IsValidPostAsync().ConfigureAwait(false))
        {
            return Results.BadRequest();
        }

        await http.SignOutAsync(PagesAuthentication.CookieScheme).ConfigureAwait(false);
        return Results.Redirect(SecretariatRoutes.SignIn);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 752, Level = LogLevel.Information, Message = "Development page sign-in of account {AccountId} (secretariat {Secretariat})")]
        public static partial void DevSignIn(ILogger logger, Guid accountId, bool secretariat);
    }
}
