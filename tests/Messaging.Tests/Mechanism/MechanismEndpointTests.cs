using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Tests.Mechanism;

/// <summary>
/// The mechanism's API on each engine: the registry and drawing-of-lots imports (every problem per row, localized,
/// nothing imported from a bad file), stage changes, the focal point's signed disclosure policy, the activity view.
/// The States are user-assigned ISO codes (X..): test data, not a statement about any real State.
/// </summary>
public abstract class MechanismEndpointTests(IHostSource hosts)
{
    private const string LotsHeader = "group,state_under_review,reviewing_state,instruments,working_languages,start_date\n";

    [Fact]
    public async Task StatesImport_BadFile_EveryProblemPerRowAndNothingImported_ThenGoodFileListed()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var secretariat = await Participant.SignInAsync(host, "sec-" + Tag(), secretariat: true);
        var bad = "iso3,name,regional_group,instruments\nXQA,Q A,AFRICAN,UNTOC\nXQ1,Q B,AFRICAN,UNTOC\nXQC,,MARS,UNTOC;NOPE\nXQA,Q A again,WEOG,\n";

        // Act
        using var refused = await PostCsvAsync(secretariat.Http, MechanismRoutes.States, bad, "fr");
        var refusal = await refused.Content.ReadFromJsonAsync<StatesImportResult>();
        var afterBad = await secretariat.Http.GetFromJsonAsync<List<StatePartyEntry>>(MechanismRoutes.States);
        using var accepted = await PostCsvAsync(secretariat.Http, MechanismRoutes.States, "iso3,name,regional_group,instruments\nXQA,Q A,AFRICAN,UNTOC;TIP\n");
        var afterGood = await secretariat.Http.GetFromJsonAsync<List<StatePartyEntry>>(MechanismRoutes.States);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(
            [(3, "invalid-code"), (4, "invalid-instruments"), (4, "invalid-name"), (4, "invalid-regional-group"), (5, "duplicate-state")],
            refusal!.Problems.Select(p => (p.Line, p.Code)).Order());
        Assert.Contains(refusal.Problems, p => p.Message.Contains("n'est pas un groupe régional", StringComparison.Ordinal));
        Assert.DoesNotContain(afterBad!, s => s.Code == "XQA");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var state = Assert.Single(afterGood!, s => s.Code == "XQA");
        Assert.Equal("AFRICAN", state.RegionalGroup);
        Assert.Equal(["UNTOC", "TIP"], state.Instruments);
    }

    [Fact]
    public async Task LotsImport_GoodFile_CreatesReviewsNotStartedWithBothChannelsAndTheImporterAssigned()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var secretariat = await Participant.SignInAsync(host, "sec-" + Tag(), secretariat: true);
        await RegistryAsync(secretariat, "XG");
        var file = LotsHeader +
            "1,XGA,XGB,UNTOC;TIP;SOM;FIREARMS,en;fr,2026-01-05\n" +
            "1,XGA,XGW,UNTOC;TIP;SOM;FIREARMS,en;fr,2026-01-05\n" +
            "1,XGV,XGW,UNTOC;TIP,ar,2026-01-05\n" +
            "1,XGV,XGC,UNTOC;TIP,ar,2026-01-05\n";

        // Act
        using var response = await PostCsvAsync(secretariat.Http, MechanismRoutes.Lots, file);
        var result = await response.Content.ReadFromJsonAsync<LotsImportResult>();

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, result!.Created.Count);
        Assert.Empty(result.Problems);
        var reviews = await secretariat.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);
        var xga = Assert.Single(reviews!, r => r.ReviewedState == "XGA");
        Assert.Equal(["XGB", "XGW"], xga.ReviewingStates);
        Assert.Equal(("not-started", (int?)1), (xga.Stage, xga.Group));
        var detail = await secretariat.Http.GetFromJsonAsync<ReviewDetail>(HttpRoutes.ReviewOf(xga.ReviewId));
        Assert.Equal(["dialogue", "reviewers"], detail!.Channels.Select(c => c.Name));
        Assert.Equal(["en", "fr"], detail.Languages);
        Assert.Contains(detail.Members, m => m.AccountId == secretariat.AccountId && m.Role == MemberRole.Secretariat);
        var stage = await secretariat.Http.GetFromJsonAsync<StageInfo>(MechanismRoutes.StageOf(xga.ReviewId));
        Assert.Equal((new DateOnly(2026, 1, 5), (DateOnly?)new DateOnly(2026, 1, 19)), (stage!.StartDate!.Value, stage.Deadline));
    }

    [Fact]
    public async Task LotsImport_BadFile_EveryRuleBrokenIsReportedPerRowLocalized_AndNothingIsCreated()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var secretariat = await Participant.SignInAsync(host, "sec-" + Tag(), secretariat: true);
        await RegistryAsync(secretariat, "XB");
        var file = LotsHeader +
            "1,XBA,XBB,UNTOC;TIP,en,2026-01-05\n" +       // 2: fine on its own
            "1,XBA,XBW,UNTOC;TIP,en,2026-01-05\n" +       // 3: fine
            "1,XBB,XBA,UNTOC,en,2026-01-05\n" +           // 4: mutual review with line 2
            "1,XBB,XBC,UNTOC,xx,2026-01-05\n" +           // 5: bad language
            "1,XBW,XBV,FIREARMS,en,2026-01-05\n" +        // 6: XBV not party to FIREARMS; XBW has no reviewer from another group
            "4,XBV,XBV,UNTOC,en,2026-13-01\n";            // 7: group, self review, date

        // Act
        var before = (await secretariat.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews))!.Count;
        using var response = await PostCsvAsync(secretariat.Http, MechanismRoutes.Lots, file, "es");
        var result = await response.Content.ReadFromJsonAsync<LotsImportResult>();
        var after = (await secretariat.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews))!.Count;

        // Assert: each rule on its line, in Spanish, and no review created.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(result!.Created);
        var problems = result.Problems.Select(p => (p.Line, p.Code)).ToList();
        Assert.Contains((4, "mutual-review"), problems);
        Assert.Contains((5, "invalid-languages"), problems);
        Assert.Contains((6, "reviewer-not-party"), problems);
        Assert.Contains(problems, p => p.Code == "no-reviewer-from-other-group");
        Assert.Contains((7, "invalid-group"), problems);
        Assert.Contains((7, "self-review"), problems);
        Assert.Contains((7, "invalid-date"), problems);
        Assert.Contains(result.Problems, p => p.Code == "mutual-review" && p.Message.StartsWith("Examen mutuo", StringComparison.Ordinal));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task LotsImport_NotCsvOrTooLarge_TypedBadRequest()
    {
        var host = await hosts.GetHostAsync();
        using var secretariat = await Participant.SignInAsync(host, "sec-" + Tag(), secretariat: true);
        using var json = await secretariat.Http.PostAsJsonAsync(MechanismRoutes.Lots, new { file = "x" });
        using var large = await PostCsvAsync(secretariat.Http, MechanismRoutes.Lots, LotsHeader + new string('x', (1 << 20) + 10));
        using var halfMegabyte = await PostCsvAsync(secretariat.Http, MechanismRoutes.Lots, LotsHeader + string.Concat(Enumerable.Repeat("1,XZZ,XZY,UNTOC,en,2026-01-05\n", 16_000)));
        await Problems.AssertAsync(json, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        await Problems.AssertAsync(large, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);

        // Above Kestrel's 256 KiB default but within the 1 MiB file limit: read and checked (too many rows), not cut off.
        var rows = await halfMegabyte.Content.ReadFromJsonAsync<LotsImportResult>();
        Assert.Equal(HttpStatusCode.BadRequest, halfMegabyte.StatusCode);
        Assert.Equal("not-csv", Assert.Single(rows!.Problems).Code);
    }

    [Fact]
    public async Task Policy_OnlyTheFocalPointOfTheStateUnderReview_WithItsOwnDevice_InSequence()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await PolicyReview.CreateAsync(host);
        using var stranger = DeviceIdentity.Create();

        // Act
        using var byExpert = await review.SetPolicyAsync(1, MetadataLevel.PerPerson, signer: review.ExpertAut);
        var foreign = DisclosurePolicyCodec.Sign(new DisclosurePolicy(review.ReviewId, 1, MetadataLevel.PerPerson, [], DateTimeOffset.UnixEpoch), stranger);
        using var foreignDevice = await review.FocalPoint.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(review.ReviewId), new SetPolicy(foreign.Encoded));
        var otherReview = DisclosurePolicyCodec.Sign(new DisclosurePolicy(Guid.NewGuid(), 1, MetadataLevel.PerPerson, [], DateTimeOffset.UnixEpoch), review.FocalPoint.Device);
        using var wrongReview = await review.FocalPoint.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(review.ReviewId), new SetPolicy(otherReview.Encoded));
        var good = DisclosurePolicyCodec.Sign(new DisclosurePolicy(review.ReviewId, 1, MetadataLevel.PerPerson, ["dialogue"], DateTimeOffset.UnixEpoch), review.FocalPoint.Device).Encoded;
        var tampered = good.ToArray();
        tampered[^81] ^= 0x01; // the last byte of issued_at: still well formed, no longer what the device signed
        using var forged = await review.FocalPoint.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(review.ReviewId), new SetPolicy(tampered));
        using var skipped = await review.SetPolicyAsync(2, MetadataLevel.PerPerson);
        using var accepted = await review.FocalPoint.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(review.ReviewId), new SetPolicy(good));
        using var replayed = await review.FocalPoint.Http.PostAsJsonAsync(MechanismRoutes.PolicyOf(review.ReviewId), new SetPolicy(good));
        var info = await review.ExpertFra.Http.GetFromJsonAsync<PolicyInfo>(MechanismRoutes.PolicyOf(review.ReviewId));

        // Assert
        await Problems.AssertAsync(byExpert, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(foreignDevice, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(wrongReview, HttpStatusCode.BadRequest, ProblemTypes.WrongContext);
        await Problems.AssertAsync(forged, HttpStatusCode.BadRequest, ProblemTypes.InvalidSignature);
        await Problems.AssertAsync(skipped, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Problems.AssertAsync(replayed, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);

        // Every participant sees the statement and can verify it against the focal point's card.
        Assert.Equal((1u, "per-person"), (info!.Version, info.Metadata));
        Assert.Equal(["dialogue"], info.ContentChannels);
        var statement = Assert.Single(info.Statements);
        Assert.Equal(review.FocalPoint.Device.Id.ToString(), statement.SignerDevice);
        Assert.True(DisclosurePolicyCodec.Verify(statement.Statement, review.FocalPoint.Device.PublicKeys).IsSuccess);

        // It is served with its archive index, and the PolicyChange entry rebuilt from what is served is the log's.
        await ArchivedStatements.AssertRecomputeAsync(review.ExpertFra, review.ReviewId, SecureDialogue.Vault.Archive.ArchiveEntryKind.PolicyChange,
            info.Statements.Select(s => (s.ArchiveIndex, s.StoredAt, s.Statement)));
    }

    [Fact]
    public async Task Activity_DefaultPolicy_PerStateWithoutPeople_AndOnlyForAssignedSecretariat()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await PolicyReview.CreateAsync(host);
        using var otherStaff = await Participant.SignInAsync(host, "sec-other-" + Tag(), secretariat: true);

        // Act
        var view = await review.Secretariat.Http.GetFromJsonAsync<ActivityView>(MechanismRoutes.ActivityOf(review.ReviewId));
        using var unassigned = await otherStaff.Http.GetAsync(MechanismRoutes.ActivityOf(review.ReviewId));
        using var member = await review.FocalPoint.Http.GetAsync(MechanismRoutes.ActivityOf(review.ReviewId));

        // Assert
        Assert.Equal("per-state", view!.Metadata);
        Assert.Equal(["AUT", "FRA"], view.Items.Select(i => i.State).Order(StringComparer.Ordinal));
        Assert.All(view.Items, i => Assert.Null(i.Person));
        Assert.All(view.Items, i => Assert.Equal(("dialogue", "s"), (i.Channel, i.SizeClass)));
        Assert.Equal(2, Assert.Single(view.Counts).Envelopes);
        await Problems.AssertAsync(unassigned, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(member, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Activity_ListsReviewEventsInTimeOrder_StateAndDetailOnly_StateOfMembersChangesHiddenUnderCountsOnly()
    {
        // Arrange: the secretariat moves the review one stage; AUT's focal point then states a policy.
        var host = await hosts.GetHostAsync();
        using var review = await PolicyReview.CreateAsync(host);
        using (var moved = await review.Secretariat.Http.PostAsJsonAsync(MechanismRoutes.StageOf(review.ReviewId), new AdvanceStage("preliminary-consultation")))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using (var set = await review.SetPolicyAsync(1, MetadataLevel.PerPerson, ["dialogue"]))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        // Act
        var perPerson = await review.Secretariat.Http.GetFromJsonAsync<ActivityView>(MechanismRoutes.ActivityOf(review.ReviewId));
        var json = await review.Secretariat.Http.GetStringAsync(MechanismRoutes.ActivityOf(review.ReviewId));
        using (var set = await review.SetPolicyAsync(2, MetadataLevel.CountsOnly))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var countsOnly = await review.Secretariat.Http.GetFromJsonAsync<ActivityView>(MechanismRoutes.ActivityOf(review.ReviewId));

        // Assert: oldest first, the stage change (no State) before the statement (AUT's), with what was recorded.
        var stage = perPerson!.Events.Single(e => e.Kind == "stage-changed");
        var policy = perPerson.Events.Single(e => e.Kind == "policy-set");
        Assert.True(perPerson.Events.ToList().IndexOf(stage) < perPerson.Events.ToList().IndexOf(policy));
        Assert.Equal(perPerson.Events.OrderBy(e => e.At), perPerson.Events);
        Assert.Equal(("", "not-started > preliminary-consultation"), (stage.State, stage.Detail));
        Assert.Equal(("AUT", "version 1: per-person, content: dialogue"), (policy.State, policy.Detail));

        // Never who: no account or device of the actors, even under per-person; never content.
        Assert.DoesNotContain(review.FocalPoint.AccountId.ToString(), json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(review.Secretariat.AccountId.ToString(), json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(review.FocalPoint.Device.Id.ToString(), json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(review.Marker, json, StringComparison.Ordinal);

        // Under counts-only the members' changes lose their State; the secretariat's own keep theirs (none here).
        Assert.Equal(["stage-changed", "policy-set", "policy-set"], countsOnly!.Events.Select(e => e.Kind));
        Assert.All(countsOnly.Events, e => Assert.Equal(string.Empty, e.State));
        Assert.Equal("version 2: counts-only, content: none", countsOnly.Events[^1].Detail);
    }

    [Fact]
    public async Task Stage_AssignedSecretariatOnly_OneStageForward_UntilFinalised()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await PolicyReview.CreateAsync(host);
        using var otherStaff = await Participant.SignInAsync(host, "sec-other-" + Tag(), secretariat: true);
        var url = MechanismRoutes.StageOf(review.ReviewId);

        // Act / Assert
        using (var skip = await review.Secretariat.Http.PostAsJsonAsync(url, new AdvanceStage("self-assessment")))
        {
            await Problems.AssertAsync(skip, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
        }

        using (var unassigned = await otherStaff.Http.PostAsJsonAsync(url, new AdvanceStage("preliminary-consultation")))
        {
            await Problems.AssertAsync(unassigned, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        using (var unknown = await review.Secretariat.Http.PostAsJsonAsync(url, new AdvanceStage("nonsense")))
        {
            await Problems.AssertAsync(unknown, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        }

        foreach (var next in new[] { "preliminary-consultation", "self-assessment", "written-feedback", "constructive-dialogue", "list-of-observations", "summary", "finalised" })
        {
            using var moved = await review.Secretariat.Http.PostAsJsonAsync(url, new AdvanceStage(next));
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using (var beyond = await review.Secretariat.Http.PostAsJsonAsync(url, new AdvanceStage("finalised")))
        {
            await Problems.AssertAsync(beyond, HttpStatusCode.Conflict, ProblemTypes.EpochConflict);
        }

        var info = await review.ExpertFra.Http.GetFromJsonAsync<StageInfo>(url);
        Assert.Equal("finalised", info!.Stage);
        Assert.Equal(Enumerable.Range(1, 7), info.History.Select(h => h.Sequence));
        Assert.All(info.History, h => Assert.Equal(review.Secretariat.AccountId, h.AccountId));

        // Each change is an entry of the review's archive log, and finalising sealed the archive once.
        var entries = await review.ExpertFra.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review.ReviewId) + "?start=0&limit=500");
        Assert.Equal(7, entries!.Items.Count(i => i.Kind == (int)SecureDialogue.Vault.Archive.ArchiveEntryKind.StageChange));

        // ... and a row of the one review event record, in order, with the stages it moved between.
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SecureDialogue.Messaging.Persistence.MessagingDbContext>();
            var events = await db.ReviewEvents.Where(e => e.ReviewId == review.ReviewId && e.Kind == "stage-changed").OrderBy(e => e.Position).Select(e => e.Detail).ToListAsync();
            Assert.Equal(7, events.Count);
            Assert.Equal("not-started > preliminary-consultation", events[0]);
            Assert.Equal("summary > finalised", events[^1]);
        }

        var bundles = await review.ExpertFra.Http.GetFromJsonAsync<SealedBundleList>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveBundles, review.ReviewId));
        Assert.Single(bundles!.Bundles);
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A registry of user-assigned codes PREFIX + A, B, C (African), W, V (WEOG); V is party to the Convention only.</summary>
    private static async Task RegistryAsync(Participant secretariat, string prefix)
    {
        var csv = "iso3,name,regional_group,instruments\n" +
            $"{prefix}A,Test A,AFRICAN,UNTOC;TIP;SOM;FIREARMS\n{prefix}B,Test B,AFRICAN,UNTOC;TIP;SOM;FIREARMS\n{prefix}C,Test C,AFRICAN,UNTOC;TIP\n" +
            $"{prefix}W,Test W,WEOG,UNTOC;TIP;SOM;FIREARMS\n{prefix}V,Test V,WEOG,UNTOC;TIP\n";
        using var response = await PostCsvAsync(secretariat.Http, MechanismRoutes.States, csv);
        response.EnsureSuccessStatusCode();
    }

    private static Task<HttpResponseMessage> PostCsvAsync(HttpClient http, string route, string csv, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }

        return http.SendAsync(request);
    }
}

public sealed class MechanismEndpointSqliteTests(SqliteHostFixture hosts) : MechanismEndpointTests(hosts), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class MechanismEndpointPostgresTests(PostgresFixture postgres) : MechanismEndpointTests(new PostgresHostSource(postgres));
