using System.Globalization;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Overview;

namespace SecureDialogue.Messaging.Pages;

/// <summary>The status report (Status 14-15, 21) as a page, and as CSV and JSON downloads of the same counts.</summary>
internal static class StatusPage
{
    public static async Task<IResult> ShowAsync(HttpContext http, ReviewOverviewQuery overview, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var report = await CountAsync(overview, cancellationToken).ConfigureAwait(false);
        var body = new Html();
        body.Element("p", page.T("status.asof", report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Markup("<p>").Element("a", page.T("status.csv"), Html.Attribute("href", SecretariatRoutes.StatusCsv) + " id=\"csv\"").Text(" · ")
            .Element("a", page.T("status.json"), Html.Attribute("href", SecretariatRoutes.StatusJson) + " id=\"json\"").Markup("</p>");
        body.Markup("<table id=\"status\"><thead><tr>").Element("th", page.T("col.group"), "scope=\"col\"").Element("th", page.T("col.reviews"), "scope=\"col\"");
        foreach (var stage in ReviewStages.All)
        {
            body.Element("th", page.Texts.Stage(page.Language, stage), "scope=\"col\"");
        }

        body.Element("th", page.T("col.advancing"), "scope=\"col\"").Element("th", page.T("col.notstarted.ur"), "scope=\"col\"").Element("th", page.T("col.notstarted.rv"), "scope=\"col\"")
            .Markup("</tr></thead><tbody>");
        foreach (var group in report.Groups)
        {
            body.Markup("<tr ").Markup(Html.Attribute("data-group", group.Group.ToString(CultureInfo.InvariantCulture))).Markup('>')
                .Element("th", group.Group == 0 ? page.T("value.nogroup") : group.Group.ToString(CultureInfo.InvariantCulture), "scope=\"row\"")
                .Element("td", N(group.Reviews), "data-count=\"reviews\"");
            foreach (var stage in ReviewStages.All)
            {
                body.Element("td", N(group.ByStage[stage]), Html.Attribute("data-count", ReviewStages.Code(stage)));
            }

            body.Element("td", N(group.Advancing), "data-count=\"advancing\"")
                .Element("td", N(group.NotStartedMissingUnderReview), "data-count=\"missing-under-review\"")
                .Element("td", N(group.NotStartedMissingReviewing), "data-count=\"missing-reviewing\"")
                .Markup("</tr>");
        }

        body.Markup("</tbody></table>");
        return Layout.Render(page, page.T("status.title"), body);
    }

    public static async Task<IResult> CsvAsync(HttpContext http, ReviewOverviewQuery overview, CancellationToken cancellationToken)
    {
        var (_, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var report = await CountAsync(overview, cancellationToken).ConfigureAwait(false);
        Layout.SetHeaders(http.Response);
        var name = $"status-report-{report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(report.ToCsv()), "text/csv; charset=utf-8", name);
    }

    public static async Task<IResult> JsonAsync(HttpContext http, ReviewOverviewQuery overview, CancellationToken cancellationToken)
    {
        var (_, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var report = await CountAsync(overview, cancellationToken).ConfigureAwait(false);
        Layout.SetHeaders(http.Response);
        return Results.Json(StatusReportViews.From(report));
    }

    private static async Task<StatusReport> CountAsync(ReviewOverviewQuery overview, CancellationToken cancellationToken) =>
        StatusReport.Count(overview.Today, (await overview.ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(o => o.ToStatusInput()));

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
