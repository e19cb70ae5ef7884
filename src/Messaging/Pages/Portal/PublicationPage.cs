using System.Globalization;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Publication;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Pages.Portal;

/// <summary>
/// One publication: the disclosed text with a marker at each withheld segment, the item's language, dates and author
/// State, whether it was withdrawn, the verification details and the downloads. The record is verified again for the
/// view (this server's log keys; the cosigners the server trusted when it stored it), and only its verified decoding
/// is shown.
/// </summary>
internal static class PublicationPage
{
    public static async Task<IResult> ShowAsync(
        string publicationId, HttpContext http, PublicationQueries queries, ArchiveKey key, MessagingDbContext db, CancellationToken cancellationToken)
    {
        var (page, stored, refusal) = await PortalPages.ReadableAsync(http, publicationId, queries, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var (row, withdrawal) = stored!;
        var verification = Verify(row, key);
        if (!verification.IsValid)
        {
            // Stored only after verifying: a failure now means the log keys changed without the retired key being kept.
            return page.NotFound();
        }

        var record = verification.Record!;
        var header = record.Item.Header;
        var review = (await PortalPages.ReviewsAsync(db, [row.ReviewId], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(row.ReviewId);
        var body = new Html();
        if (withdrawal is not null)
        {
            body.Element("p", page.T("portal.withdrawn", PortalPages.Day(withdrawal.WithdrawnAt)), "class=\"withdrawn\" role=\"alert\" id=\"withdrawn\"");
        }

        body.Markup("<dl>")
            .Element("dt", page.T("portal.col.review")).Element("dd", review is null ? row.ReviewId.ToString() : $"{review.Title} ({review.Instruments})")
            .Element("dt", page.T("portal.col.publisher")).Element("dd", record.PublisherState.Value)
            .Element("dt", page.T("portal.col.author")).Element("dd", record.AuthorState.Value, "id=\"author-state\"")
            .Element("dt", page.T("portal.col.language")).Element("dd", header.Language.Value, "id=\"item-language\"")
            .Element("dt", page.T("portal.col.authored")).Element("dd", Time(header.CreatedAt))
            .Element("dt", page.T("portal.col.published")).Element("dd", Time(record.PublishedAt))
            .Element("dt", page.T("portal.col.audience")).Element("dd", page.T("portal.audience." + PublicationQueries.AudienceCode(record.Audience)))
            .Element("dt", page.T("portal.col.segments")).Element("dd", page.T("portal.segments", record.Disclosed.Count, record.Commitments.Count))
            .Markup("</dl>");

        Text(page, body, record, row.Id);
        Verification(page, body, verification, row);
        body.Element("h2", page.T("portal.downloads")).Markup("<ul>")
            .Markup("<li>").Element("a", page.T("portal.download.record"), $"{Html.Attribute("href", PublicationRoutes.PortalRecordOf(row.Id))} id=\"record\"").Markup("</li>")
            .Markup("</ul>")
            .Markup("<p>").Element("a", page.T("portal.back"), Html.Attribute("href", PortalRoutes.Index)).Markup("</p>");
        return Layout.Render(page, PortalPages.KindName(page, row.ItemKind), body, appKey: PortalPages.AppKey);
    }

    /// <summary>Verifies the stored record with this server's log keys and the cosigners it trusted when storing it.</summary>
    public static PublicationVerification Verify(PublicationEntity row, ArchiveKey key)
    {
        var trusted = row.Cosigners.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var record = PublicationRecord.Decode(row.Record).Value!;
        var cosigners = record.Archive.CosignerCards
            .Select(c => DevicePublicKeys.Decode(c) is { IsSuccess: true } d ? d.Value : null)
            .OfType<DevicePublicKeys>()
            .Where(d => trusted.Contains(d.Id.ToString()))
            .Select(CosignerKey.ForDevice);
        return PublicationVerifier.Verify(record, new PublicationTrust(new ArchiveKeyRing(key.Keys, cosigners)));
    }

    // The segments in order: disclosed ones in the item's language, a marker at each withheld one.
    private static void Text(PageContext page, Html body, PublicationRecord record, string id)
    {
        body.Element("h2", page.T("portal.text")).Markup("<div id=\"text\" ").Markup(Html.Attribute("lang", record.Item.Header.Language.Value)).Markup(" dir=\"auto\">");
        for (var i = 0; i < record.Commitments.Count; i++)
        {
            var disclosed = record.Disclosed.FirstOrDefault(d => d.Index == i);
            if (disclosed is null)
            {
                // The marker is in the page's language, not the item's.
                body.Markup("<p class=\"withheld\" ").Markup(Html.Attribute("lang", page.Language.Code)).Markup(' ').Markup(Html.Attribute("data-segment", i.ToString(CultureInfo.InvariantCulture)))
                    .Markup('>').Text(page.T("portal.withheld")).Markup("</p>");
                continue;
            }

            var segment = disclosed.Segment;
            body.Markup("<div class=\"segment\" ").Markup(Html.Attribute("data-segment", i.ToString(CultureInfo.InvariantCulture))).Markup('>');
            switch (segment.Kind)
            {
                case SegmentKind.QuestionnaireAnswer:
                    body.Element("strong", page.T("portal.question", segment.QuestionReference)).Markup("<br>").Text(segment.TextContent);
                    break;
                case SegmentKind.FileReference when AttachmentManifest.FromSegment(segment).TryGetValue(out var manifest, out _):
                    using (manifest)
                    {
                        var label = page.T("portal.document", manifest.FileName, manifest.MediaType, manifest.PlaintextLength);
                        body.Element("a", label, Html.Attribute("href", PortalRoutes.DocumentOf(id, i)));
                    }

                    break;
                default:
                    body.Text(segment.TextContent);
                    break;
            }

            body.Markup("</div>");
        }

        body.Markup("</div>");
    }

    private static void Verification(PageContext page, Html body, PublicationVerification verification, PublicationEntity row)
    {
        var record = verification.Record!;
        var checkpoint = verification.Checkpoint!;
        body.Element("h2", page.T("portal.verification")).Element("p", page.T("portal.verified"), "class=\"notice\" id=\"verified\"")
            .Markup("<dl id=\"verification\">")
            .Element("dt", page.T("portal.v.entry")).Element("dd", record.Archive.EntryIndex.ToString(CultureInfo.InvariantCulture), "id=\"entry-index\"")
            .Element("dt", page.T("portal.v.received")).Element("dd", Time(record.Archive.ReceivedAt))
            .Element("dt", page.T("portal.v.checkpoint")).Markup("<dd id=\"checkpoint\">")
            .Text(checkpoint.TreeSize.ToString(CultureInfo.InvariantCulture)).Markup(", <code>").Text(Convert.ToHexStringLower(checkpoint.RootHash)).Markup("</code></dd>")
            .Element("dt", page.T("portal.v.signed")).Element("dd", Time(checkpoint.Time))
            .Element("dt", page.T("portal.v.cosigners")).Markup("<dd id=\"cosigners\">")
            .Text(checkpoint.Cosignatures.Count == 0 ? "—" : string.Join(", ", checkpoint.Cosignatures.Select(c => c.Cosigner.Device?.ToString() ?? c.Cosigner.Name)))
            .Markup("</dd>")
            .Element("dt", page.T("portal.v.logkey")).Markup("<dd><code id=\"log-key\">").Text(row.LogKey).Markup("</code></dd>")
            .Element("dt", page.T("portal.v.author")).Markup("<dd><code>").Text(verification.Author!.Id.ToString()).Markup("</code></dd>")
            .Element("dt", page.T("portal.v.publisher")).Markup("<dd><code>").Text(verification.Publisher!.Id.ToString()).Markup("</code></dd>")
            .Markup("</dl>")
            .Markup("<p><code>").Text($"sdlg verify publication {PublicationRoutes.PortalRecordOf(row.Id)} --archive-key {row.LogKey}").Markup("</code></p>");
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
