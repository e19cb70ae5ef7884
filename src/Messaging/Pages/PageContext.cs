using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Demo;
using SecureDialogue.Messaging.Pages.SignIn;
using SecureDialogue.Messaging.Pages.Text;

namespace SecureDialogue.Messaging.Pages;

/// <summary>What every page needs: the language, the texts, the signed-in caller (page session) and its display name.</summary>
internal sealed class PageContext
{
    private PageContext(HttpContext http, UiLanguage language, UiTexts texts, Caller? caller, string? displayName, bool demo)
    {
        Http = http;
        Language = language;
        Texts = texts;
        Caller = caller;
        DisplayName = displayName;
        IsDemo = demo;
    }

    public HttpContext Http { get; }

    public UiLanguage Language { get; }

    public UiTexts Texts { get; }

    /// <summary>The page session's caller, or null when not signed in.</summary>
    public Caller? Caller { get; }

    public string? DisplayName { get; }

    /// <summary>Whether the server runs on demo data (a banner says so).</summary>
    public bool IsDemo { get; }

    /// <summary>A text in the page's language.</summary>
    public string T(string key, params object?[] args) => Texts.Get(Language, key, args);

    /// <summary>The hidden antiforgery field of a form.</summary>
    public string AntiforgeryField()
    {
        var tokens = Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
        return $"<input type=\"hidden\" {Html.Attribute("name", tokens.FormFieldName)} {Html.Attribute("value", tokens.RequestToken)}>";
    }

    /// <summary>Whether a posted form carries a valid antiforgery token.</summary>
    public Task<bool> IsValidPostAsync() => Http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(Http);

    public static async Task<PageContext> CreateAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(PagesAuthentication.CookieScheme).ConfigureAwait(false);
        if (result.Succeeded && result.Principal is not null)
        {
            // The page session is the request's user: antiforgery tokens are bound to it.
            http.User = result.Principal;
        }

        var caller = result.Succeeded ? Caller.From(result.Principal) : null;
        var name = result.Succeeded ? result.Principal?.FindFirst(PagesAuthentication.NameClaim)?.Value : null;
        var server = http.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        return new PageContext(http, UiLanguage.Resolve(http), http.RequestServices.GetRequiredService<UiTexts>(), caller, name, DemoSeedService.IsOn(server));
    }

    /// <summary>
    /// The context of a page for secretariat staff, or the response to send instead: the sign-in page for a visitor
    /// without a session, "not permitted" (403) for a signed-in person without the secretariat role.
    /// </summary>
    public static async Task<(PageContext Page, IResult? Refusal)> ForStaffAsync(HttpContext http)
    {
        var page = await CreateAsync(http).ConfigureAwait(false);
        if (page.Caller is null)
        {
            return (page, Results.Redirect(SecretariatRoutes.SignIn));
        }

        return page.Caller.IsSecretariat ? (page, null) : (page, page.Forbidden());
    }

    /// <summary>The "not permitted" page (403).</summary>
    public IResult Forbidden() => Layout.Render(this, T("forbidden.title"), new Html().Element("p", T("forbidden.text")), StatusCodes.Status403Forbidden);

    /// <summary>The "not found" page (404).</summary>
    public IResult NotFound() => Layout.Render(this, T("notfound.title"), new Html(), StatusCodes.Status404NotFound);
}
