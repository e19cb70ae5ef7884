using Microsoft.Net.Http.Headers;

namespace SecureDialogue.Messaging.Pages.Text;

/// <summary>
/// One of the six UN languages the pages speak, chosen by <c>?lang=</c> (which also sets the <c>sdlg-lang</c> cookie),
/// else the cookie, else <c>Accept-Language</c>, else English. Arabic is written right to left.
/// </summary>
internal sealed record UiLanguage(string Code, int Index, string NativeName)
{
    /// <summary>The cookie that remembers the choice.</summary>
    public const string Cookie = "sdlg-lang";

    /// <summary>The six languages, in the column order of <c>texts.tsv</c> after the key: en, fr, es, ru, zh, ar.</summary>
    public static IReadOnlyList<UiLanguage> All { get; } =
    [
        new("en", 0, "English"),
        new("fr", 1, "Français"),
        new("es", 2, "Español"),
        new("ru", 3, "Русский"),
        new("zh", 4, "中文"),
        new("ar", 5, "العربية"),
    ];

    /// <summary>English.</summary>
    public static UiLanguage English => All[0];

    /// <summary><c>rtl</c> for Arabic, else <c>ltr</c>.</summary>
    public string Direction => Code == "ar" ? "rtl" : "ltr";

    /// <summary>The language of a code (a primary subtag, any case), or null.</summary>
    public static UiLanguage? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var primary = code.Split('-', 2)[0].Trim();
        return All.FirstOrDefault(l => string.Equals(l.Code, primary, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The request's language; a valid <c>?lang=</c> is remembered in a cookie.</summary>
    public static UiLanguage Resolve(HttpContext context)
    {
        if (Find(context.Request.Query["lang"]) is { } chosen)
        {
            context.Response.Cookies.Append(Cookie, chosen.Code, new CookieOptions
            {
                HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), Path = "/",
            });
            return chosen;
        }

        if (Find(context.Request.Cookies[Cookie]) is { } remembered)
        {
            return remembered;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage;
        foreach (var candidate in accepted.OrderByDescending(a => a.Quality ?? 1))
        {
            if ((candidate.Quality ?? 1) > 0 && Find(candidate.Value.Value) is { } language)
            {
                return language;
            }
        }

        return English;
    }
}
