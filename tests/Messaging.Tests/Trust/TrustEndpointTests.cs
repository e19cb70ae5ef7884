using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Trust;

/// <summary>
/// Focal point registration, trust statements and the member listing on the real server and both engines: what the
/// server checks, what it records, and how membership follows the States' certificates.
/// </summary>
public abstract class TrustEndpointTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    protected abstract Task<MessagingHost> StartHostAsync();

    [Fact]
    public async Task FocalPoint_RegistersRootCertifiesAndRemoves_MembershipFollowsAndEverythingIsRecorded()
    {
        // Arrange: a review of AUT; the secretariat registers Fern as AUT's focal point; Dan has a device and no membership.
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var fern = await Participant.SignInAsync(host, $"fern-{tag}");
        using var dan = await Participant.SignInAsync(host, $"dan-{tag}");
        var registered = await Json<FocalPointEntry>(await review.Secretariat.Http.PostAsJsonAsync(TrustRoutes.FocalPointsOf(review.ReviewId),
            new SetFocalPoint("AUT", fern.User, "Fern", "NV/AUT/2026/3")), HttpStatusCode.OK);

        // Act
        var root = TrustStatementBuilder.Root(fern.Device, review.ReviewId, "AUT", fern.AccountId, 1, At, "NV/AUT/2026/3");
        using var rootResponse = await Submit(fern, review.ReviewId, root);
        var certificate = TrustStatementBuilder.Certify(fern.Device, review.ReviewId, "AUT", dan.Device.PublicKeys, dan.AccountId, CertifiedRole.Expert, CertificateFlags.History, 2, At, "NV/AUT/2026/4");
        using var certified = await Submit(fern, review.ReviewId, certificate);
        using var again = await Submit(fern, review.ReviewId, certificate);
        var danIsMember = (await Detail(review)).Members.Any(m => m.AccountId == dan.AccountId && m.Role == MemberRole.Expert && m.StateCode == "AUT");
        var skipped = TrustStatementBuilder.Revoke(fern.Device, review.ReviewId, "AUT", dan.Device.Id, dan.AccountId, RevocationReason.Removed, 4, At);
        using var gap = await Submit(fern, review.ReviewId, skipped);
        var other = TrustStatementBuilder.Certify(fern.Device, review.ReviewId, "AUT", dan.Device.PublicKeys, dan.AccountId, CertifiedRole.Observer, CertificateFlags.None, 2, At);
        using var conflict = await Submit(fern, review.ReviewId, other);
        var removal = TrustStatementBuilder.Revoke(fern.Device, review.ReviewId, "AUT", dan.Device.Id, dan.AccountId, RevocationReason.Removed, 3, At);
        using var removed = await Submit(fern, review.ReviewId, removal);
        var listing = await Json<ReviewMembersResponse>(await review.Alice.Http.GetAsync(TrustRoutes.MembersOf(review.ReviewId)), HttpStatusCode.OK);

        // Assert
        Assert.Equal(("AUT", "NV/AUT/2026/3", review.Secretariat.AccountId), (registered.StateCode, registered.Nomination, registered.RegisteredBy));
        Assert.Equal(HttpStatusCode.Created, rootResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, certified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(danIsMember);
        await Problems.AssertAsync(gap, HttpStatusCode.Conflict, ProblemTypes.StatementConflict);
        await Problems.AssertAsync(conflict, HttpStatusCode.Conflict, ProblemTypes.StatementConflict);
        Assert.Equal(HttpStatusCode.Created, removed.StatusCode);
        Assert.DoesNotContain(listing.Members, m => m.AccountId == dan.AccountId);
        Assert.Equal([root.Encoded.ToArray(), certificate.Encoded.ToArray(), removal.Encoded.ToArray()], listing.Statements.Select(s => s.Statement));
        Assert.Equal([1L, 2L, 3L], listing.Statements.Select(s => s.Position));
        Assert.Contains(listing.FocalPoints, f => f.AccountId == fern.AccountId && f.EndedAt is null);
        var events = await Events(host, review.ReviewId);
        Assert.Equal(["focal-point-registered", "focal-point-root", "device-certified", "member-added", "device-revoked", "member-removed"], events);

        // The three accepted statements, exactly as signed, are MembershipChange entries of the review's archive log.
        var page = await Json<ArchiveEntryPage>(await review.Alice.Http.GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId) + "?start=0&limit=500"), HttpStatusCode.OK);
        var archived = page.Items.Where(i => i.Entry is not null)
            .Select(i => SecureDialogue.Vault.Archive.ArchiveEntry.Decode(i.Entry).Value!)
            .Where(e => e.Kind == SecureDialogue.Vault.Archive.ArchiveEntryKind.MembershipChange && e.Payload.Length > 0 && e.Payload.Span[0] != (byte)'{')
            .Select(e => e.Payload.ToArray());
        Assert.Equal([root.Encoded.ToArray(), certificate.Encoded.ToArray(), removal.Encoded.ToArray()], archived);

        // The listing serves each statement with its archive index, and the entry rebuilt from what it serves is the log's.
        await ArchivedStatements.AssertRecomputeAsync(review.Alice, review.ReviewId, SecureDialogue.Vault.Archive.ArchiveEntryKind.MembershipChange,
            listing.Statements.Select(s => (s.ArchiveIndex, s.StoredAt, s.Statement)));
        Assert.Equal(3, listing.Statements.Select(s => s.ArchiveIndex).Distinct().Count());

        // The secretariat's registration is archived too, with the nomination reference (docs/protocol.md 16.2.1).
        var registration = page.Items.Where(i => i.Entry is not null)
            .Select(i => SecureDialogue.Vault.Archive.ArchiveEntry.Decode(i.Entry).Value!)
            .Where(e => e.Kind == SecureDialogue.Vault.Archive.ArchiveEntryKind.MembershipChange && e.Payload.Length > 0 && e.Payload.Span[0] == (byte)'{')
            .Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement)
            .Single(j => j.GetProperty("event").GetString() == "focal-point-registered");
        Assert.Equal(("AUT", fern.AccountId.ToString("D"), "NV/AUT/2026/3", review.Secretariat.AccountId.ToString("D"), 0),
            (registration.GetProperty("state").GetString(), registration.GetProperty("account").GetString(), registration.GetProperty("nomination").GetString(),
             registration.GetProperty("by").GetString(), registration.GetProperty("replaced").GetArrayLength()));
    }

    [Fact]
    public async Task Submit_ForgedMisplacedOrPremature_RefusedWithTypedProblems()
    {
        // Arrange: Carol is KEN's focal point (listed when the review was created).
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        using var stranger = DeviceIdentity.Create();
        var carol = review.Carol;

        // Act
        var premature = TrustStatementBuilder.Certify(carol.Device, review.ReviewId, "KEN", review.Alice.Device.PublicKeys, review.Alice.AccountId, CertifiedRole.Expert, CertificateFlags.None, 1, At);
        using var beforeRoot = await Submit(carol, review.ReviewId, premature);
        var forged = TrustStatementBuilder.Root(stranger, review.ReviewId, "KEN", carol.AccountId, 1, At, "");
        using var notHerDevice = await Submit(carol, review.ReviewId, forged);
        var flipped = TrustStatementBuilder.Root(carol.Device, review.ReviewId, "KEN", carol.AccountId, 1, At, "").Encoded.ToArray();
        flipped[^1] ^= 1;
        using var badSignature = await carol.Http.PostAsJsonAsync(TrustRoutes.StatementsOf(review.ReviewId), new SubmitTrustStatement(flipped));
        var elsewhere = TrustStatementBuilder.Root(carol.Device, Guid.NewGuid(), "KEN", carol.AccountId, 1, At, "");
        using var wrongReview = await Submit(carol, review.ReviewId, elsewhere);
        var otherState = TrustStatementBuilder.Root(carol.Device, review.ReviewId, "AUT", carol.AccountId, 1, At, "");
        using var wrongState = await Submit(carol, review.ReviewId, otherState);
        using var garbage = await carol.Http.PostAsJsonAsync(TrustRoutes.StatementsOf(review.ReviewId), new SubmitTrustStatement([1, 1, 1]));
        using var root = await Submit(carol, review.ReviewId, TrustStatementBuilder.Root(carol.Device, review.ReviewId, "KEN", carol.AccountId, 1, At, ""));
        var secretariatCert = TrustStatementBuilder.Certify(carol.Device, review.ReviewId, "KEN", review.Secretariat.Device.PublicKeys, review.Secretariat.AccountId, CertifiedRole.Expert, CertificateFlags.None, 2, At);
        using var certifiesSecretariat = await Submit(carol, review.ReviewId, secretariatCert);
        var foreignExpert = TrustStatementBuilder.Certify(carol.Device, review.ReviewId, "KEN", review.Bob.Device.PublicKeys, review.Bob.AccountId, CertifiedRole.Expert, CertificateFlags.None, 2, At);
        using var certifiesFrance = await Submit(carol, review.ReviewId, foreignExpert);

        // Assert
        await Problems.AssertAsync(beforeRoot, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(notHerDevice, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(badSignature, HttpStatusCode.BadRequest, ProblemTypes.InvalidSignature);
        await Problems.AssertAsync(wrongReview, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
        await Problems.AssertAsync(wrongState, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(garbage, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        Assert.Equal(HttpStatusCode.Created, root.StatusCode);
        await Problems.AssertAsync(certifiesSecretariat, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(certifiesFrance, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task SetFocalPoint_Replacement_OldFocalPointLeavesAndCanNoLongerCertify()
    {
        // Arrange
        await using var host = await StartHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var kofi = await Participant.SignInAsync(host, $"kofi-{tag}");
        using var carolRoot = await Submit(review.Carol, review.ReviewId, TrustStatementBuilder.Root(review.Carol.Device, review.ReviewId, "KEN", review.Carol.AccountId, 1, At, ""));

        // Act
        using var replaced = await review.Secretariat.Http.PostAsJsonAsync(TrustRoutes.FocalPointsOf(review.ReviewId), new SetFocalPoint("KEN", kofi.User, "Kofi", "NV/KEN/2026/8"));
        using var invalid = await review.Secretariat.Http.PostAsJsonAsync(TrustRoutes.FocalPointsOf(review.ReviewId), new SetFocalPoint("XXX", "", "", "é"));
        var late = TrustStatementBuilder.Certify(review.Carol.Device, review.ReviewId, "KEN", kofi.Device.PublicKeys, kofi.AccountId, CertifiedRole.Expert, CertificateFlags.None, 2, At);
        using var afterReplacement = await Submit(review.Carol, review.ReviewId, late);
        var detail = await Detail(review);
        var listing = await Json<ReviewMembersResponse>(await review.Secretariat.Http.GetAsync(TrustRoutes.MembersOf(review.ReviewId)), HttpStatusCode.OK);

        // Assert
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var problem = await Problems.AssertAsync(invalid, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        Assert.Equal(["displayName", "nomination", "stateCode", "subject"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        await Problems.AssertAsync(afterReplacement, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.DoesNotContain(detail.Members, m => m.AccountId == review.Carol.AccountId);
        Assert.Contains(detail.Members, m => m.AccountId == kofi.AccountId && m.Role == MemberRole.FocalPoint && m.StateCode == "KEN");
        Assert.Single(listing.Statements);
        Assert.All(listing.Members, m => Assert.Empty(m.Devices));
        Assert.Contains("focal-point-replaced", await Events(host, review.ReviewId));
    }

    private static Task<HttpResponseMessage> Submit(Participant caller, Guid reviewId, TrustStatement statement) =>
        caller.Http.PostAsJsonAsync(TrustRoutes.StatementsOf(reviewId), new SubmitTrustStatement(statement.Encoded.ToArray()));

    private static async Task<ReviewDetail> Detail(ReviewScenario review) =>
        (await review.Alice.Http.GetFromJsonAsync<ReviewDetail>(HttpRoutes.ReviewOf(review.ReviewId)))!;

    private static async Task<List<string>> Events(MessagingHost host, Guid reviewId)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
        return await db.ReviewEvents.Where(e => e.ReviewId == reviewId).OrderBy(e => e.Position).Select(e => e.Kind).ToListAsync();
    }

    private static async Task<T> Json<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            return (await response.Content.ReadFromJsonAsync<T>())!;
        }
    }
}

public sealed class TrustEndpointSqliteTests : TrustEndpointTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class TrustEndpointPostgresTests(PostgresFixture postgres) : TrustEndpointTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}
