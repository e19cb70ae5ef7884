using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Tests.Publication;

/// <summary>
/// Voluntary publication (issue 7) against the real server: only the reviewed State's focal point publishes; the server
/// verifies the record against its own log before storing it, archives it in the same transaction, stores the same
/// record once, withdraws without deleting, and serves public and States-parties publications by audience.
/// </summary>
public abstract class PublicationEndpointTests(IHostSource hosts)
{
    [Fact]
    public async Task Publish_FocalPointOfStateUnderReview_VerifiedStoredArchivedAndServed_RepostIsIdempotent()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var world = await PublicationReview.CreateAsync(host);
        var record = await world.BuildAsync(world.FocalPoint);
        Assert.True(record.Encoded.Span.IndexOf(System.Text.Encoding.UTF8.GetBytes(world.Secret)) < 0);

        // The review's log records envelopes by their summary, so the record is of entry form 1 and holds no byte run of the
        // item's ciphertext (docs/protocol.md 18.6): withheld segments cannot be recovered from it, even with the epoch key.
        var served = (await world.FocalPoint.Http.GetFromJsonAsync<EnvelopePage>(
            HttpRoutes.EnvelopesOf(world.ReviewId, "dialogue") + $"?after={world.AnswerSequence - 1}&limit=1"))!.Items.Single();
        var ciphertext = Vault.Envelopes.Envelope.Decode(served.Envelope).Value!.Ciphertext.ToArray();
        Assert.Equal(1, served.ArchiveForm);
        Assert.Equal(EnvelopeEntryForm.Summary, record.Archive.Form);
        Assert.True(record.Archive.Ciphertext.IsEmpty);
        for (var at = 0; at + 16 <= ciphertext.Length; at += 16)
        {
            Assert.True(record.Encoded.Span.IndexOf(ciphertext.AsSpan(at, 16)) < 0, $"ciphertext bytes {at}.. are in the record");
        }

        // Act
        using var first = await world.PostAsync(world.FocalPoint, record.Encoded);
        using var again = await world.PostAsync(world.FocalPoint, record.Encoded);

        // Assert: 201 then 200 with the same publication, its id the record's SHA-256.
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var entry = (await first.Content.ReadFromJsonAsync<PublicationEntry>())!;
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(entry.PublicationId, (await again.Content.ReadFromJsonAsync<PublicationEntry>())!.PublicationId);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(record.Encoded.Span)), entry.PublicationId);
        Assert.Equal(("public", "questionnaire-response", "AUT", "AUT", 2), (entry.Audience, entry.ItemKind, entry.AuthorState, entry.PublisherState, entry.Segments));
        Assert.Equal([0], entry.Disclosed);
        var list = await world.ExpertFra.Http.GetFromJsonAsync<PublicationList>(PublicationRoutes.PublicationsOf(world.ReviewId));
        Assert.Single(list!.Publications);

        // The log holds the record as a Publication entry, exactly once.
        var page = await world.FocalPoint.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, world.ReviewId) + "?start=0&limit=500");
        var publications = page!.Items.Where(i => i.Kind == (int)ArchiveEntryKind.Publication).ToList();
        var logged = ArchiveEntry.Decode(Assert.Single(publications).Entry).Value!;
        Assert.Equal(entry.EntryIndex, logged.Index);
        Assert.Equal(record.Encoded.ToArray(), logged.Payload.ToArray());

        // Anyone downloads the public record, which verifies against the server's log key.
        var bytes = await ((MessagingHost)host).Anonymous.GetByteArrayAsync(PublicationRoutes.PortalRecordOf(entry.PublicationId));
        var keys = await world.FocalPoint.Http.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
        var trust = new PublicationTrust(new ArchiveKeyRing(keys!.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!)));
        Assert.True(PublicationVerifier.Verify(bytes, trust).IsValid);

        // The portal page shows the public part, a marker for the withheld one, and never the secret.
        var html = await ((MessagingHost)host).Anonymous.GetStringAsync(entry.PageUrl + "?lang=en");
        Assert.Contains(PublicationReview.PublicPart, html, StringComparison.Ordinal);
        Assert.Contains("Withheld by the reviewed State", html, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Secret, html, StringComparison.Ordinal);
        Assert.Contains($"id=\"entry-index\">{record.Archive.EntryIndex}<", html, StringComparison.Ordinal);
        var index = await ((MessagingHost)host).Anonymous.GetStringAsync("/publications");
        Assert.Contains(entry.PageUrl, index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_DocumentOfAPublishedFileSegment_DownloadedByteForByte_WithheldTextNeverServed()
    {
        // Arrange: the answer's third segment refers to a document; the focal point publishes segments 0 and 2 with it.
        var host = await hosts.GetHostAsync();
        var document = System.Text.Encoding.UTF8.GetBytes("%PDF-1.7\n" + new string('x', 70_000) + "\n%%EOF\n");
        document[100] = 0x00;
        document[101] = 0xff;
        using var world = await PublicationReview.CreateAsync(host, document);
        var record = await world.BuildAsync(world.FocalPoint, [0, 2], new Dictionary<int, byte[]> { [2] = document });
        Assert.Equal(EnvelopeEntryForm.Summary, record.Archive.Form);

        // Act
        using var posted = await world.PostAsync(world.FocalPoint, record.Encoded);
        var entry = (await posted.Content.ReadFromJsonAsync<PublicationEntry>())!;
        var anonymous = ((MessagingHost)host).Anonymous;
        using var download = await anonymous.GetAsync(PortalDocument(entry.PublicationId, 2));
        using var withheld = await anonymous.GetAsync(PortalDocument(entry.PublicationId, 1));

        // Assert: exactly the document's bytes, as a download; no document for the withheld text segment.
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(document, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, withheld.StatusCode);
        Assert.DoesNotContain(world.Secret, await withheld.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string PortalDocument(string publicationId, int segment) => $"/publications/{publicationId}/documents/{segment}";

    [Fact]
    public async Task Publish_AnyoneButTheFocalPointOfTheStateUnderReview_Refused()
    {
        // Arrange: each builds a record with their own device (the reviewing expert names FRA, the others AUT).
        var host = await hosts.GetHostAsync();
        using var world = await PublicationReview.CreateAsync(host);
        var byExpert = await world.BuildAsync(world.ExpertAut);
        var byReviewer = await world.BuildAsync(world.ExpertFra, publisherState: "FRA");
        var byObserver = await world.BuildAsync(world.Observer);
        var genuine = await world.BuildAsync(world.FocalPoint);

        // Act and assert
        foreach (var (caller, record) in new[] { (world.ExpertAut, byExpert), (world.ExpertFra, byReviewer), (world.Observer, byObserver), (world.Secretariat, genuine), (world.Outsider, genuine) })
        {
            using var response = await world.PostAsync(caller, record.Encoded);
            await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        using (var anonymous = await world.PostAsync(null, genuine.Encoded, ((MessagingHost)host).Anonymous))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The focal point cannot post a record another device of another account signed.
        using (var foreign = await world.PostAsync(world.FocalPoint, byExpert.Encoded))
        {
            await Problems.AssertAsync(foreign, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        var list = await world.FocalPoint.Http.GetFromJsonAsync<PublicationList>(PublicationRoutes.PublicationsOf(world.ReviewId));
        Assert.Empty(list!.Publications);
    }

    [Fact]
    public async Task Publish_TamperedOrMalformed_TypedProblemAndNothingStored()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var world = await PublicationReview.CreateAsync(host);
        var record = await world.BuildAsync(world.FocalPoint);
        var altered = record.Encoded.ToArray();
        var at = altered.AsSpan().IndexOf("section 12"u8);
        altered[at + 8] = (byte)'3';

        // Act
        using var tampered = await world.PostAsync(world.FocalPoint, altered);
        using var garbage = await world.PostAsync(world.FocalPoint, new byte[] { 1, 1, 2, 3 });
        using var empty = await world.PostAsync(world.FocalPoint, Array.Empty<byte>());

        // Assert
        var problem = await Problems.AssertAsync(tampered, HttpStatusCode.UnprocessableEntity, ProblemTypes.InvalidPublication);
        Assert.Contains("SegmentMismatch", problem.GetProperty("errors").GetProperty("record").EnumerateArray().Select(e => e.GetString()));
        await Problems.AssertAsync(garbage, HttpStatusCode.UnprocessableEntity, ProblemTypes.InvalidPublication);
        await Problems.AssertAsync(empty, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        var list = await world.FocalPoint.Http.GetFromJsonAsync<PublicationList>(PublicationRoutes.PublicationsOf(world.ReviewId));
        Assert.Empty(list!.Publications);
    }

    [Fact]
    public async Task Withdraw_FocalPointOnly_RetractionEntryAndPortalSaysSo_RecordKept()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var world = await PublicationReview.CreateAsync(host);
        var record = await world.BuildAsync(world.FocalPoint);
        using var posted = await world.PostAsync(world.FocalPoint, record.Encoded);
        var entry = (await posted.Content.ReadFromJsonAsync<PublicationEntry>())!;

        // Act
        using var byExpert = await world.ExpertAut.Http.PostAsync(PublicationRoutes.WithdrawOf(world.ReviewId, entry.PublicationId), null);
        using var withdrawn = await world.FocalPoint.Http.PostAsync(PublicationRoutes.WithdrawOf(world.ReviewId, entry.PublicationId), null);
        using var again = await world.FocalPoint.Http.PostAsync(PublicationRoutes.WithdrawOf(world.ReviewId, entry.PublicationId), null);
        using var unknown = await world.FocalPoint.Http.PostAsync(PublicationRoutes.WithdrawOf(world.ReviewId, new string('0', 64)), null);

        // Assert
        await Problems.AssertAsync(byExpert, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var first = (await withdrawn.Content.ReadFromJsonAsync<PublicationEntry>())!;
        var second = (await again.Content.ReadFromJsonAsync<PublicationEntry>())!;
        Assert.NotNull(first.WithdrawnAt);
        Assert.Equal(first.WithdrawalEntryIndex, second.WithdrawalEntryIndex);
        var page = await world.FocalPoint.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, world.ReviewId) + "?start=0&limit=500");
        var retraction = ArchiveEntry.Decode(Assert.Single(page!.Items, i => i.Kind == (int)ArchiveEntryKind.Retraction).Entry).Value!;
        Assert.Equal(entry.EntryIndex, retraction.Target);
        Assert.Contains(entry.PublicationId, System.Text.Encoding.UTF8.GetString(retraction.Payload.Span), StringComparison.Ordinal);

        var anonymous = ((MessagingHost)host).Anonymous;
        var html = await anonymous.GetStringAsync(entry.PageUrl + "?lang=en");
        Assert.Contains("withdrew this publication", html, StringComparison.Ordinal);
        Assert.Equal(record.Encoded.ToArray(), await anonymous.GetByteArrayAsync(PublicationRoutes.RecordOf(entry.PublicationId)));
    }

    [Fact]
    public async Task StatesAudience_SignedInMembersOfStatesOnly()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var world = await PublicationReview.CreateAsync(host);
        var record = await world.BuildAsync(world.FocalPoint, PublicationAudience.StatesParties);
        using var posted = await world.PostAsync(world.FocalPoint, record.Encoded);
        var entry = (await posted.Content.ReadFromJsonAsync<PublicationEntry>())!;
        var anonymous = ((MessagingHost)host).Anonymous;

        // Act
        using var byAnonymous = await anonymous.GetAsync(PublicationRoutes.RecordOf(entry.PublicationId));
        using var byOutsider = await world.Outsider.Http.GetAsync(PublicationRoutes.RecordOf(entry.PublicationId));
        using var byReviewer = await world.ExpertFra.Http.GetAsync(PublicationRoutes.PublicationOf(entry.PublicationId));
        using var page = await anonymous.GetAsync(entry.PageUrl);
        var index = await anonymous.GetStringAsync("/publications");

        // Assert
        await Problems.AssertAsync(byAnonymous, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await Problems.AssertAsync(byOutsider, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal("states", (await byReviewer.Content.ReadFromJsonAsync<PublicationEntry>())!.Audience);
        Assert.True(page.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found || page.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/sign-in", StringComparison.Ordinal));
        Assert.DoesNotContain(entry.PageUrl, index, StringComparison.Ordinal);
    }
}

public sealed class PublicationEndpointSqliteTests(SqliteHostFixture hosts) : PublicationEndpointTests(hosts), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PublicationEndpointPostgresTests(PostgresFixture postgres) : PublicationEndpointTests(new PostgresHostSource(postgres));
