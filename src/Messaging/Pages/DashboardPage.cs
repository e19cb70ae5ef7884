using System.Globalization;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Overview;

namespace SecureDialogue.Messaging.Pages;

/// <summary>The reviews: stage, days in stage, deadline, overdue flag, missing focal points. Metadata only.</summary>
internal static class DashboardPage
{
    public static async Task<IResult> ShowAsync(HttpContext http, ReviewOverviewQuery overview, SecretariatAccess access, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var reviews = await overview.ListAsync(null, cancellationToken).ConfigureAwait(false);
        var assigned = (await access.AssignedReviewsAsync(page.Caller!, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var body = new Html();
        if (reviews.Count == 0)
        {
            return Layout.Render(page, page.T("dashboard.title"), body.Element("p", page.T("dashboard.empty")));
        }

        body.Element("p", page.T("dashboard.assigned"));
        body.Markup("<table id=\"reviews\"><thead><tr>");
        foreach (var column in new[] { "col.review", "col.underreview", "col.reviewing", "col.group", "col.languages", "col.stage", "col.days", "col.deadline", "col.overdue", "col.focal" })
        {
            body.Element("th", page.T(column), "scope=\"col\"");
        }

        body.Markup("</tr></thead><tbody>");
        foreach (var review in reviews)
        {
            var schedule = review.Schedule;
            body.Markup("<tr ").Markup(Html.Attribute("data-review", review.ReviewId.ToString())).Markup("><td>");
            if (assigned.Contains(review.ReviewId))
            {
                body.Text("● ").Element("a", review.Title, Html.Attribute("href", SecretariatRoutes.ReviewOf(review.ReviewId)));
            }
            else
            {
                body.Text(review.Title);
            }

            body.Markup("</td>")
                .Element("td", review.StateUnderReview)
                .Element("td", string.Join(", ", review.ReviewingStates.Select(r => r.State)))
                .Element("td", review.Group?.ToString(CultureInfo.InvariantCulture) ?? page.T("value.nogroup"))
                .Element("td", string.Join(", ", review.Languages))
                .Element("td", page.Texts.Stage(page.Language, schedule.Stage), Html.Attribute("data-stage", ReviewStages.Code(schedule.Stage)))
                .Element("td", schedule.DaysInStage.ToString(CultureInfo.InvariantCulture))
                .Element("td", schedule.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—")
                .Element("td", schedule.Overdue ? page.T("col.overdue") : string.Empty, schedule.Overdue ? "class=\"overdue\" data-overdue=\"true\"" : string.Empty)
                .Element("td", review.MissingFocalPoints.Count == 0 ? page.T("value.none") : string.Join(", ", review.MissingFocalPoints),
                    Html.Attribute("data-missing", string.Join(',', review.MissingFocalPoints)))
                .Markup("</tr>");
        }

        body.Markup("</tbody></table>");
        return Layout.Render(page, page.T("dashboard.title"), body);
    }
}
