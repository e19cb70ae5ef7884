using System.Globalization;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Activity;
using SecureDialogue.Messaging.Mechanism.Overview;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Mechanism.Stages;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Pages;

/// <summary>
/// A review for the secretariat staff assigned to it: stage and schedule, the form that moves it one stage forward,
/// the stage changes, the disclosure policy, and the activity timeline at the policy's metadata level. Never content.
/// </summary>
internal static class ReviewPage
{
    public static async Task<IResult> ShowAsync(
        Guid reviewId, HttpContext http, SecretariatAccess access, ReviewOverviewQuery overview, StageQuery stages,
        DisclosurePolicies policies, ActivityQuery activity, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await access.AssignedAsync(page.Caller!, reviewId, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied.Status == StatusCodes.Status404NotFound ? page.NotFound() : page.Forbidden();
        }

        var review = (await overview.FindAsync(reviewId, cancellationToken).ConfigureAwait(false))!;
        var stage = await stages.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false);
        var policy = await policies.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false);
        var view = await activity.ViewAsync(reviewId, cancellationToken).ConfigureAwait(false);
        var body = new Html();
        Notice(page, body);

        body.Markup("<dl>")
            .Element("dt", page.T("col.underreview")).Element("dd", review.StateUnderReview)
            .Element("dt", page.T("col.reviewing")).Element("dd", string.Join(", ", review.ReviewingStates.Select(r => $"{r.State} ({InstrumentCodes.Format(r.Instruments)})")))
            .Element("dt", page.T("col.group")).Element("dd", review.Group?.ToString(CultureInfo.InvariantCulture) ?? page.T("value.nogroup"))
            .Element("dt", page.T("col.languages")).Element("dd", string.Join(", ", review.Languages))
            .Element("dt", page.T("col.stage")).Element("dd", page.Texts.Stage(page.Language, review.Schedule.Stage), "id=\"stage\" " + Html.Attribute("data-stage", stage.Stage))
            .Element("dt", page.T("col.days")).Element("dd", stage.DaysInStage.ToString(CultureInfo.InvariantCulture))
            .Element("dt", page.T("col.deadline")).Element("dd", stage.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—", stage.Overdue ? "class=\"overdue\"" : string.Empty)
            .Element("dt", page.T("col.focal")).Element("dd", review.MissingFocalPoints.Count == 0 ? page.T("value.none") : string.Join(", ", review.MissingFocalPoints))
            .Markup("</dl>");

        if (review.Schedule.Stage < ReviewStage.Finalised)
        {
            var next = review.Schedule.Stage + 1;
            body.Markup("<form method=\"post\" ").Markup(Html.Attribute("action", SecretariatRoutes.ReviewStageOf(reviewId))).Markup('>')
                .Markup(page.AntiforgeryField())
                .Markup("<input type=\"hidden\" name=\"to\" ").Markup(Html.Attribute("value", ReviewStages.Code(next))).Markup('>')
                .Element("button", page.T("review.advance", page.Texts.Stage(page.Language, next)), "type=\"submit\" id=\"advance\"")
                .Markup("</form>");
        }

        body.Element("h2", page.T("review.history"));
        if (stage.History.Count == 0)
        {
            body.Element("p", page.T("review.nohistory"));
        }
        else
        {
            body.Markup("<ul>");
            foreach (var change in stage.History)
            {
                body.Element("li", page.T("review.history.entry", Day(change.At), StageName(page, change.From), StageName(page, change.To), change.DisplayName));
            }

            body.Markup("</ul>");
        }

        body.Element("h2", page.T("policy.title")).Markup("<p id=\"policy\" ").Markup(Html.Attribute("data-metadata", policy.Metadata)).Markup('>').Text(page.T("policy." + policy.Metadata)).Markup("</p>")
            .Element("p", policy.ContentChannels.Count == 0 ? page.T("policy.nocontent") : page.T("policy.content", string.Join(", ", policy.ContentChannels)))
            .Element("p", policy.Statements.Count == 0 ? page.T("policy.default") : page.T("policy.signed", policy.Version, review.StateUnderReview, Day(policy.Statements[^1].StoredAt)));

        Timeline(page, body, view);
        Events(page, body, view.Events);
        return Layout.Render(page, page.T("review.title", review.Title), body);
    }

    /// <summary>Moves the review one stage forward (antiforgery checked), then shows the review again.</summary>
    public static async Task<IResult> AdvanceAsync(Guid reviewId, HttpContext http, AdvanceStageCommand command, CancellationToken cancellationToken)
    {
        var (page, refusal) = await PageContext.ForStaffAsync(http).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!http.Request.HasFormContentType || !await page.IsValidPostAsync().ConfigureAwait(false))
        {
            return Results.BadRequest();
        }

        var form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await command.ExecuteAsync(page.Caller!, reviewId, form["to"].ToString(), cancellationToken).ConfigureAwait(false);
        return outcome.Error switch
        {
            null => Results.Redirect($"{SecretariatRoutes.ReviewOf(reviewId)}?done={ReviewStages.Code(outcome.Value)}", permanent: false),
            { Status: StatusCodes.Status404NotFound } => page.NotFound(),
            { Status: StatusCodes.Status403Forbidden } => page.Forbidden(),
            _ => Results.Redirect($"{SecretariatRoutes.ReviewOf(reviewId)}?done=conflict"),
        };
    }

    private static void Notice(PageContext page, Html body)
    {
        var done = page.Http.Request.Query["done"].ToString();
        if (done == "conflict")
        {
            body.Element("p", page.T("review.conflict"), "class=\"error\" role=\"alert\"");
        }
        else if (ReviewStages.TryParse(done, out var stage))
        {
            body.Element("p", page.T("review.advanced", page.Texts.Stage(page.Language, stage)), "class=\"notice\" role=\"status\"");
        }
    }

    private static void Timeline(PageContext page, Html body, Contracts.ActivityView view)
    {
        body.Element("h2", page.T("timeline.title"));
        if (view.Counts.Count == 0)
        {
            body.Element("p", page.T("timeline.empty"));
            return;
        }

        if (view.Items.Count == 0)
        {
            body.Element("p", page.T("timeline.hidden"));
        }
        else
        {
            var perPerson = view.Items.Any(i => i.Person is not null);
            body.Markup("<table id=\"timeline\"><thead><tr>")
                .Element("th", page.T("col.when"), "scope=\"col\"").Element("th", page.T("col.channel"), "scope=\"col\"").Element("th", page.T("col.state"), "scope=\"col\"");
            if (perPerson)
            {
                body.Element("th", page.T("col.person"), "scope=\"col\"");
            }

            body.Element("th", page.T("col.size"), "scope=\"col\"").Markup("</tr></thead><tbody>");
            foreach (var item in view.Items)
            {
                body.Markup("<tr>")
                    .Element("td", item.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                    .Element("td", item.Channel)
                    .Element("td", item.State.Length == 0 ? page.T("value.secretariat") : item.State);
                if (perPerson)
                {
                    body.Element("td", item.Person);
                }

                body.Element("td", page.T("size." + item.SizeClass)).Markup("</tr>");
            }

            body.Markup("</tbody></table>");
        }

        body.Element("h3", page.T("timeline.counts")).Markup("<table id=\"counts\"><thead><tr>")
            .Element("th", page.T("col.day"), "scope=\"col\"").Element("th", page.T("col.channel"), "scope=\"col\"").Element("th", page.T("col.envelopes"), "scope=\"col\"")
            .Markup("</tr></thead><tbody>");
        foreach (var count in view.Counts)
        {
            body.Markup("<tr>").Element("td", count.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Element("td", count.Channel)
                .Element("td", count.Envelopes.ToString(CultureInfo.InvariantCulture)).Markup("</tr>");
        }

        body.Markup("</tbody></table>");
    }

    /// <summary>The review's events, oldest first: when, what (in the page's language), the State, the recorded detail.</summary>
    private static void Events(PageContext page, Html body, IReadOnlyList<Contracts.ActivityEvent> events)
    {
        body.Element("h2", page.T("events.title"));
        if (events.Count == 0)
        {
            body.Element("p", page.T("events.empty"));
            return;
        }

        body.Markup("<table id=\"events\"><thead><tr>")
            .Element("th", page.T("col.when"), "scope=\"col\"").Element("th", page.T("col.event"), "scope=\"col\"")
            .Element("th", page.T("col.state"), "scope=\"col\"").Element("th", page.T("col.detail"), "scope=\"col\"")
            .Markup("</tr></thead><tbody>");
        foreach (var item in events)
        {
            var kind = "event." + item.Kind;
            body.Markup("<tr ").Markup(Html.Attribute("data-kind", item.Kind)).Markup('>')
                .Element("td", item.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Element("td", page.Texts.Has(kind) ? page.T(kind) : item.Kind)
                .Element("td", item.State.Length == 0 ? "—" : item.State)
                .Element("td", EventDetail(page, item), "dir=\"auto\"")
                .Markup("</tr>");
        }

        body.Markup("</tbody></table>");
    }

    /// <summary>A stage change in the page's language; any other detail as the server recorded it (codes, a role, a reference).</summary>
    private static string EventDetail(PageContext page, Contracts.ActivityEvent item)
    {
        var stages = item.Detail.Split(" > ");
        return item.Kind == "stage-changed" && stages.Length == 2
            ? $"{StageName(page, stages[0])} {(page.Language.Direction == "rtl" ? '←' : '→')} {StageName(page, stages[1])}"
            : item.Detail;
    }

    private static string StageName(PageContext page, string code) =>
        ReviewStages.TryParse(code, out var stage) ? page.Texts.Stage(page.Language, stage) : code;

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
