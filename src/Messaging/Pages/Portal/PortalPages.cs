using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Publication;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Pages.Portal;

/// <summary>
/// The publication portal: the index by State, review and instrument, one page per publication, and the downloads of
/// records and documents. Public publications need no sign-in; States-parties ones need the pages' session of a member
/// of a State party (<see cref="PublicationQueries.ReadableAsync"/>). Everything shown comes from the record's decoding,
/// verified again on every view (docs/threat-model.md, "What the portal reveals").
/// </summary>
internal static class PortalPages
{
    public const string AppKey = "portal.name";

    public static IEndpointRouteBuilder MapPublicationPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PortalRoutes.Index, IndexAsync);
        endpoints.MapGet(PortalRoutes.Item, PublicationPage.ShowAsync);
        endpoints.MapGet(PortalRoutes.Record, RecordAsync);
        endpoints.MapGet(PortalRoutes.Document, DocumentAsync);
        return endpoints;
    }

    /// <summary>Reviews' titles and instruments, for the index and the item pages.</summary>
    public sealed record ReviewLine(string Title, string Instruments);

    public static async Task<Dictionary<Guid, ReviewLine>> ReviewsAsync(MessagingDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var titles = await db.Reviews.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Title, cancellationToken).ConfigureAwait(false);
        var states = await db.ReviewStates.AsNoTracking().Where(s => ids.Contains(s.ReviewId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return titles.ToDictionary(t => t.Key, t => new ReviewLine(
            t.Value, InstrumentCodes.Format(states.Where(s => s.ReviewId == t.Key).Aggregate(Instruments.None, (all, s) => all | s.Instruments))));
    }

    private static async Task<IResult> IndexAsync(HttpContext http, PublicationQueries queries, MessagingDbContext db, CancellationToken cancellationToken)
    {
        var page = await PageContext.CreateAsync(http).ConfigureAwait(false);
        var visible = await queries.VisibleAsync(page.Caller, cancellationToken).ConfigureAwait(false);
        var reviews = await ReviewsAsync(db, [.. visible.Select(v => v.Row.ReviewId).Distinct()], cancellationToken).ConfigureAwait(false);
        var body = new Html().Element("p", page.T("portal.intro"));
        if (visible.Count == 0)
        {
            body.Element("p", page.T("portal.empty"), "id=\"empty\"");
            return Layout.Render(page, page.T("portal.title"), body, appKey: AppKey);
        }

        foreach (var state in visible.GroupBy(v => v.Row.PublisherState).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            body.Element("h2", page.T("portal.state", state.Key), Html.Attribute("id", "state-" + state.Key));
            foreach (var review in state.GroupBy(v => v.Row.ReviewId))
            {
                var line = reviews.GetValueOrDefault(review.Key) ?? new ReviewLine(review.Key.ToString(), string.Empty);
                body.Element("h3", page.T("portal.review", line.Title, line.Instruments))
                    .Markup("<table class=\"publications\"><thead><tr>")
                    .Element("th", page.T("portal.col.item"), "scope=\"col\"").Element("th", page.T("portal.col.author"), "scope=\"col\"")
                    .Element("th", page.T("portal.col.language"), "scope=\"col\"").Element("th", page.T("portal.col.published"), "scope=\"col\"")
                    .Element("th", page.T("portal.col.audience"), "scope=\"col\"").Element("th", page.T("portal.col.segments"), "scope=\"col\"")
                    .Markup("</tr></thead><tbody>");
                foreach (var (row, withdrawal) in review.OrderBy(v => v.Row.ItemSequence))
                {
                    body.Markup("<tr><td>")
                        .Element("a", KindName(page, row.ItemKind), Html.Attribute("href", PublicationRoutes.PageOf(row.Id)));
                    if (withdrawal is not null)
                    {
                        body.Markup(' ').Element("span", page.T("portal.withdrawn.short"), "class=\"overdue\"");
                    }

                    body.Markup("</td>")
                        .Element("td", row.AuthorState).Element("td", row.ItemLanguage).Element("td", Day(row.PublishedAt))
                        .Element("td", page.T("portal.audience." + PublicationQueries.AudienceCode((PublicationAudience)row.Audience)))
                        .Element("td", page.T("portal.segments", row.Disclosed, row.Segments))
                        .Markup("</tr>");
                }

                body.Markup("</tbody></table>");
            }
        }

        return Layout.Render(page, page.T("portal.title"), body, appKey: AppKey);
    }

    private static async Task<IResult> RecordAsync(string publicationId, HttpContext http, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var (page, stored, refusal) = await ReadableAsync(http, publicationId, queries, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        Layout.SetHeaders(http.Response);
        _ = page;
        return Results.File(stored!.Row.Record, PublicationRoutes.MediaType, $"{stored.Row.Id[..16]}.sdpub");
    }

    private static async Task<IResult> DocumentAsync(string publicationId, int segment, HttpContext http, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var (page, stored, refusal) = await ReadableAsync(http, publicationId, queries, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var record = PublicationRecord.Decode(stored!.Row.Record).Value!;
        var document = record.Documents.FirstOrDefault(d => d.SegmentIndex == segment);
        var disclosed = record.Disclosed.FirstOrDefault(d => d.Index == segment);
        if (document is null || disclosed is null || !AttachmentManifest.FromSegment(disclosed.Segment).TryGetValue(out var manifest, out _))
        {
            return page.NotFound();
        }

        using (manifest)
        {
            Layout.SetHeaders(http.Response);

            // Always a download with a neutral type: a published file never renders in the portal's origin.
            return Results.File(document.Content.ToArray(), "application/octet-stream", SafeFileName(manifest.FileName));
        }
    }

    /// <summary>The page context and the publication, or the response to send instead (not found, sign in, not permitted).</summary>
    public static async Task<(PageContext Page, PublicationQueries.Stored? Stored, IResult? Refusal)> ReadableAsync(
        HttpContext http, string publicationId, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var page = await PageContext.CreateAsync(http).ConfigureAwait(false);
        var outcome = await queries.ReadableAsync(page.Caller, publicationId, cancellationToken).ConfigureAwait(false);
        if (outcome.TryGet(out var stored, out var error))
        {
            return (page, stored, null);
        }

        return error.Status switch
        {
            StatusCodes.Status401Unauthorized => (page, null, Results.Redirect(SecretariatRoutes.SignIn)),
            StatusCodes.Status403Forbidden => (page, null, page.Forbidden()),
            _ => (page, null, page.NotFound()),
        };
    }

    /// <summary>The translated name of an item kind.</summary>
    public static string KindName(PageContext page, int kind) => page.T("portal.kind." + PublicationQueries.KindCode((Vault.Envelopes.ItemKind)kind));

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string SafeFileName(string name)
    {
        var cleaned = new string([.. Path.GetFileName(name).Select(c => char.IsControl(c) || c is '"' or '\\' or '/' ? '_' : c)]);
        return cleaned.Length == 0 ? "document" : cleaned;
    }
}
