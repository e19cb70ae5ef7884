using System.Net;
using System.Net.Http.Headers;
using SecureDialogue.Contracts;
using static SecureDialogue.Messaging.Tests.Authorization.Expect;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// The matrix's rows for voluntary publication (issue 7). Review A's focal point column is KEN's (a reviewing State):
/// nobody in the table is the focal point of AUT, the State under review, so publishing and withdrawing are refused in
/// every column (PublicationEndpointTests cover the allowed case). Public publications and the portal are open to all.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private static IReadOnlyList<MatrixRow> PublicationRows =>
    [
        //                                                              Focal    ExpUR    ExpRv    Obs      Sec      Out      Other    Anon
        new HttpRow("POST", PublicationRoutes.Publications, null,      [Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny401],
            async (w, r) =>
            {
                // A genuine record of review A, posted by each role: only AUT's focal point may publish it.
                var published = await w.PublishedAsync();
                var record = await w.Host.Anonymous.GetByteArrayAsync(PublicationRoutes.RecordOf(published.PublicationId));
                var content = new ByteArrayContent(record);
                content.Headers.ContentType = new MediaTypeHeaderValue(PublicationRoutes.MediaType);
                return await w.Http(r).PostAsync(PublicationRoutes.PublicationsOf(w.ReviewId), content);
            },
            (_, _, _) => Task.CompletedTask),
        new HttpRow("GET", PublicationRoutes.Publications, null,       [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            async (w, r) =>
            {
                await w.PublishedAsync();
                return await w.Http(r).GetAsync(PublicationRoutes.PublicationsOf(w.ReviewId));
            },
            async (w, _, response) =>
            {
                var list = await Json<PublicationList>(response, HttpStatusCode.OK);
                var id = (await w.PublishedAsync()).PublicationId;
                Assert.Contains(list.Publications, p => p.PublicationId == id);
            }),
        new HttpRow("POST", PublicationRoutes.Withdraw, null,          [Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny401],
            async (w, r) => await w.Http(r).PostAsync(PublicationRoutes.WithdrawOf(w.ReviewId, (await w.PublishedAsync()).PublicationId), null),
            (_, _, _) => Task.CompletedTask),
        new HttpRow("GET", PublicationRoutes.Publication, null,        [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await w.Http(r).GetAsync(PublicationRoutes.PublicationOf((await w.PublishedAsync()).PublicationId)),
            async (w, _, response) =>
            {
                var entry = await Json<PublicationEntry>(response, HttpStatusCode.OK);
                Assert.Equal(("public", w.ReviewId), (entry.Audience, entry.ReviewId));
                Assert.Equal([0], entry.Disclosed);
                Assert.Null(entry.WithdrawnAt);
            }),
        new HttpRow("GET", PublicationRoutes.Record, null,             [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await w.Http(r).GetAsync(PublicationRoutes.RecordOf((await w.PublishedAsync()).PublicationId)),
            async (w, _, response) =>
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(PublicationRoutes.MediaType, response.Content.Headers.ContentType?.MediaType);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal((await w.PublishedAsync()).PublicationId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            }),

        // The portal: no sign-in for public publications.
        Page("GET", "/publications",                                  [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) =>
            {
                await w.PublishedAsync();
                return await (await w.PagesAsync(r)).GetAsync("/publications");
            }),
        Page("GET", "/publications/{publicationId}",                  [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync((await w.PublishedAsync()).PageUrl)),
        Page("GET", "/publications/{publicationId}/record.sdpub",     [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync((await w.PublishedAsync()).RecordUrl), PublicationRoutes.MediaType),

        // The published item has no document: everyone gets the same "not found" page (no problem document, no leak
        // of whether a segment exists); document downloads themselves are covered with the portal's tests.
        new HttpRow("GET", "/publications/{publicationId}/documents/{segment:int}", null,
                                                                       [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync($"/publications/{(await w.PublishedAsync()).PublicationId}/documents/0"),
            async (_, _, response) =>
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            }),
    ];
}
