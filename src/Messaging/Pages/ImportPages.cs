using System.Globalization;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Lots;
using SecureDialogue.Messaging.Mechanism.Registry;

namespace SecureDialogue.Messaging.Pages;

/// <summary>
/// The secretariat's imports: a drawing of lots (creates reviews) and the States-parties registry. Each shows every
/// problem of a file with its line, in the page's language, and imports nothing from a file with a problem.
/// </summary>
internal static class ImportPages
{
    public static async Task<IResult> LotsAsync(HttpContext http, ImportLotsCommand command, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var body = new Html();
        var status = StatusCodes.Status200OK;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!http.Request.HasFormContentType || !await page.IsValidPostAsync().ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            if (await UploadBody.ReadCsvAsync(http, cancellationToken).ConfigureAwait(false) is not { } file)
            {
                body.Element("p", page.T("lots.nofile"), "class=\"error\" role=\"alert\"");
                status = StatusCodes.Status400BadRequest;
            }
            else
            {
                var (created, problems) = await command.ExecuteAsync(page.Caller!, file, cancellationToken).ConfigureAwait(false);
                if (problems.Count == 0)
                {
                    body.Element("p", page.T("lots.imported", created.Count), "class=\"notice\" role=\"status\" id=\"imported\"");
                }
                else
                {
                    status = StatusCodes.Status400BadRequest;
                    Problems(page, body, page.T("lots.rejected", problems.Count),
                        problems.Select(p => new ImportProblem(p.Line, p.Column, LotsProblemCodes.Code(p.Kind), page.Texts.LotsProblem(page.Language, p))));
                }
            }
        }

        body.Element("p", page.T("lots.help"));
        UploadForm(page, body, SecretariatRoutes.Lots, page.T("lots.submit"));
        return Layout.Render(page, page.T("lots.title"), body, status);
    }

    public static async Task<IResult> StatesAsync(HttpContext http, StatesRegistry registry, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var body = new Html();
        var status = StatusCodes.Status200OK;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!http.Request.HasFormContentType || !await page.IsValidPostAsync().ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            if (await UploadBody.ReadCsvAsync(http, cancellationToken).ConfigureAwait(false) is not { } file)
            {
                body.Element("p", page.T("lots.nofile"), "class=\"error\" role=\"alert\"");
                status = StatusCodes.Status400BadRequest;
            }
            else
            {
                var (imported, problems) = await registry.ImportAsync(file, cancellationToken).ConfigureAwait(false);
                if (problems.Count == 0)
                {
                    body.Element("p", page.T("states.imported", imported), "class=\"notice\" role=\"status\" id=\"imported\"");
                }
                else
                {
                    status = StatusCodes.Status400BadRequest;
                    Problems(page, body, page.T("lots.rejected", problems.Count),
                        problems.Select(p => new ImportProblem(p.Line, p.Column, p.Code, page.Texts.RegistryProblem(page.Language, p))));
                }
            }
        }

        body.Element("p", page.T("states.help"));
        UploadForm(page, body, SecretariatRoutes.States, page.T("lots.submit"));
        var states = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
        if (states.Count == 0)
        {
            body.Element("p", page.T("states.empty"));
        }
        else
        {
            body.Markup("<table id=\"states\"><thead><tr>").Element("th", page.T("col.code"), "scope=\"col\"").Element("th", page.T("col.name"), "scope=\"col\"")
                .Element("th", page.T("col.regional"), "scope=\"col\"").Element("th", page.T("col.instruments"), "scope=\"col\"").Markup("</tr></thead><tbody>");
            foreach (var state in states)
            {
                body.Markup("<tr>").Element("td", state.Code).Element("td", state.Name).Element("td", state.RegionalGroup).Element("td", string.Join(", ", state.Instruments)).Markup("</tr>");
            }

            body.Markup("</tbody></table>");
        }

        return Layout.Render(page, page.T("states.title"), body, status);
    }

    private static void UploadForm(PageContext page, Html body, string action, string submit) =>
        body.Markup("<form method=\"post\" enctype=\"multipart/form-data\" ").Markup(Html.Attribute("action", action)).Markup('>')
            .Markup(page.AntiforgeryField())
            .Markup("<p><label>").Text(page.T("lots.file")).Markup(" <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label></p>")
            .Element("button", submit, "type=\"submit\" id=\"upload\"")
            .Markup("</form>");

    private static void Problems(PageContext page, Html body, string summary, IEnumerable<ImportProblem> problems)
    {
        body.Element("p", summary, "class=\"error\" role=\"alert\" id=\"rejected\"")
            .Markup("<table id=\"problems\"><thead><tr>").Element("th", page.T("col.line"), "scope=\"col\"").Element("th", page.T("col.column"), "scope=\"col\"")
            .Element("th", page.T("col.problem"), "scope=\"col\"").Markup("</tr></thead><tbody>");
        foreach (var problem in problems)
        {
            body.Markup("<tr ").Markup(Html.Attribute("data-code", problem.Code)).Markup('>')
                .Element("td", problem.Line.ToString(CultureInfo.InvariantCulture)).Element("td", problem.Column).Element("td", problem.Message).Markup("</tr>");
        }

        body.Markup("</tbody></table>");
    }
}
