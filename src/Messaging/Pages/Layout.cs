using SecureDialogue.Messaging.Pages.Text;

namespace SecureDialogue.Messaging.Pages;

/// <summary>The frame of every page: language and direction, navigation, language selector, demo banner, security headers.</summary>
internal static class Layout
{
    /// <summary>No script at all, styles from the server only, forms only to the server, never framed.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string Stylesheet = """
        body{font-family:system-ui,"Noto Sans","Noto Sans Arabic","Noto Sans CJK SC",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{background:#004b87;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
        header a,header button{color:#fff}header nav{display:flex;gap:1rem;flex-wrap:wrap}
        header form{display:inline;margin:0}header button{background:none;border:1px solid #fff;border-radius:3px;cursor:pointer}
        main{padding:1rem;max-width:80rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
        th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:start;vertical-align:top}th{background:#eef}
        .overdue{color:#a00;font-weight:bold}.banner{background:#fff3cd;border:1px solid #e0c060;padding:.5rem;margin-bottom:1rem}
        .notice{background:#e7f5e7;border:1px solid #8c8;padding:.5rem}.error{background:#fde8e8;border:1px solid #d88;padding:.5rem}
        .languages a[aria-current]{font-weight:bold;text-decoration:none}
        .segment{border-inline-start:3px solid #004b87;padding:.25rem .75rem;margin:.5rem 0;white-space:pre-wrap}
        .withheld{border-inline-start:3px dashed #888;color:#555;font-style:italic;padding:.25rem .75rem;margin:.5rem 0}
        .withdrawn{background:#fde8e8;border:1px solid #d88;padding:.5rem;font-weight:bold}code{word-break:break-all}
        """;

    public static IResult Render(PageContext page, string title, Html body, int status = StatusCodes.Status200OK, string appKey = "app.name")
    {
        var html = new Html();
        html.Markup("<!DOCTYPE html><html ").Markup(Html.Attribute("lang", page.Language.Code)).Markup(' ' + Html.Attribute("dir", page.Language.Direction))
            .Markup("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Text($"{title} · {page.T(appKey)}")
            .Markup("</title><link rel=\"stylesheet\" href=\"").Markup(SecretariatRoutes.Stylesheet).Markup("\"></head><body><header>")
            .Element("strong", page.T(appKey));
        if (page.Caller is { IsSecretariat: true })
        {
            html.Markup("<nav>")
                .Element("a", page.T("nav.reviews"), Html.Attribute("href", SecretariatRoutes.Dashboard))
                .Element("a", page.T("nav.status"), Html.Attribute("href", SecretariatRoutes.Status))
                .Element("a", page.T("nav.lots"), Html.Attribute("href", SecretariatRoutes.Lots))
                .Element("a", page.T("nav.states"), Html.Attribute("href", SecretariatRoutes.States))
                .Markup("</nav>");
        }

        html.Markup("<nav class=\"languages\" ").Markup(Html.Attribute("aria-label", page.T("nav.language"))).Markup('>');
        foreach (var language in UiLanguage.All)
        {
            var current = language == page.Language ? " aria-current=\"true\"" : string.Empty;
            html.Element("a", language.NativeName, $"{Html.Attribute("href", $"{page.Http.Request.Path}?lang={language.Code}")} {Html.Attribute("lang", language.Code)}{current}");
        }

        html.Markup("</nav>");
        if (page.Caller is not null)
        {
            html.Element("span", page.T("nav.signedin", page.DisplayName))
                .Markup("<form method=\"post\" ").Markup(Html.Attribute("action", SecretariatRoutes.SignOut)).Markup('>')
                .Markup(page.AntiforgeryField())
                .Element("button", page.T("nav.signout"), "type=\"submit\"")
                .Markup("</form>");
        }

        html.Markup("</header><main>");
        if (page.IsDemo)
        {
            html.Element("p", page.T("demo.banner"), "class=\"banner\" role=\"note\"");
        }

        html.Element("h1", title).Markup(body.ToString()).Markup("</main></body></html>");
        return new PageResult(html.ToString(), status);
    }

    /// <summary>An HTML response with the pages' security headers.</summary>
    private sealed class PageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            SetHeaders(response);
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    /// <summary>The headers of every page and page download.</summary>
    public static void SetHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }
}
