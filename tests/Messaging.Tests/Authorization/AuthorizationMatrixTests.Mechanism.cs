using System.Net;
using System.Net.Http.Json;
using System.Text;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Reviews;
using static SecureDialogue.Messaging.Tests.Authorization.Expect;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// The matrix's rows for the review mechanism's API and the secretariat's pages. Columns as in <see cref="Table"/>:
/// focal point (KEN, reviewing), expert AUT (under review), expert FRA, observer, secretariat assigned, outsider,
/// other review's member, anonymous. Pages are called with each role's page session (development sign-in as that
/// person; only the secretariat has the role), the API with each role's bearer token.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private static IReadOnlyList<MatrixRow> MechanismRows =>
    [
        //                                                              Focal    ExpUR    ExpRv    Obs      Sec      Out      Other    Anon
        new HttpRow("GET", MechanismRoutes.States, null,              [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            (w, r) => w.Http(r).GetAsync(MechanismRoutes.States),
            async (_, _, response) => Assert.Contains(await Json<List<StatePartyEntry>>(response, HttpStatusCode.OK), s => s.Code == "XMA")),
        new HttpRow("POST", MechanismRoutes.States, null,             [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsync(MechanismRoutes.States, Csv("iso3,name,regional_group,instruments\nXMZ,Matrix Z,EEG,UNTOC\n")),
            async (_, _, response) => Assert.Equal(1, (await Json<StatesImportResult>(response, HttpStatusCode.OK)).Imported)),
        new HttpRow("POST", MechanismRoutes.Lots, null,               [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsync(MechanismRoutes.Lots, Csv(LotsFile("XMA", "XMB", "XMW"))),
            async (_, _, response) => Assert.Single((await Json<LotsImportResult>(response, HttpStatusCode.Created)).Created)),
        new HttpRow("GET", MechanismRoutes.Stage, null,               [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(MechanismRoutes.StageOf(w.ReviewId)),
            async (_, _, response) => Assert.False(string.IsNullOrEmpty((await Json<StageInfo>(response, HttpStatusCode.OK)).Stage))),
        new HttpRow("POST", MechanismRoutes.Stage, null,              [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            async (w, r) => await w.Http(r).PostAsJsonAsync(MechanismRoutes.StageOf(w.ReviewId), new AdvanceStage(await w.NextStageAsync())),
            async (w, r, response) => Assert.Equal(w.Signed(r).AccountId, (await Json<StageInfo>(response, HttpStatusCode.OK)).History[^1].AccountId)),
        new HttpRow("GET", MechanismRoutes.Policy, null,              [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(MechanismRoutes.PolicyOf(w.ReviewId)),
            async (_, _, response) => Assert.Equal("per-state", (await Json<PolicyInfo>(response, HttpStatusCode.OK)).Metadata)),

        // Review A has no focal point for AUT, the State under review: nobody here may set its policy (the focal point
        // KEN is a reviewing State's). MechanismEndpointTests cover the allowed case.
        new HttpRow("POST", MechanismRoutes.Policy, null,             [Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsJsonAsync(MechanismRoutes.PolicyOf(w.ReviewId), new SetPolicy(
                DisclosurePolicyCodec.Sign(new DisclosurePolicy(w.ReviewId, 1, MetadataLevel.PerPerson, [], DateTimeOffset.UnixEpoch), (w.Caller(r) ?? w.Review.Alice).Device).Encoded)),
            (_, _, _) => Task.CompletedTask),
        new HttpRow("GET", MechanismRoutes.Activity, null,            [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(MechanismRoutes.ActivityOf(w.ReviewId)),
            async (_, _, response) => Assert.Contains((await Json<ActivityView>(response, HttpStatusCode.OK)).Items, i => i.State == "AUT" && i.Person is null)),
        new HttpRow("GET", MechanismRoutes.StatusReport, null,        [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(MechanismRoutes.StatusReport),
            async (_, _, response) => Assert.Contains((await Json<StatusReportView>(response, HttpStatusCode.OK)).Groups, g => g.Reviews > 0)),

        // The secretariat's pages (page sessions; antiforgery tokens on every POST).
        Page("GET", "/secretariat/site.css",                          [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/site.css"), "text/css"),
        Page("GET", "/secretariat/sign-in",                           [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/sign-in"), expectRedirectFor: MatrixRole.Secretariat),
        Page("POST", "/secretariat/sign-in/dev",                      [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await MatrixWorld.PostFormAsync(await w.FreshPagesAsync(MatrixRole.Anonymous), "/secretariat/sign-in/dev",
                ("user", w.Caller(r)?.User ?? "matrix-anonymous"), ("secretariat", r == MatrixRole.Secretariat ? "true" : "false")),
            redirectTo: "/secretariat"),
        Page("POST", "/secretariat/sign-out",                         [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            async (w, r) => await MatrixWorld.PostFormAsync(await w.FreshPagesAsync(r), "/secretariat/sign-out"),
            redirectTo: "/secretariat/sign-in"),
        Page("GET", "/secretariat",                                   [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat")),
        Page("GET", "/secretariat/reviews/{reviewId:guid}",           [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync($"/secretariat/reviews/{w.ReviewId}")),
        Page("POST", "/secretariat/reviews/{reviewId:guid}/stage",    [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await MatrixWorld.PostFormAsync(await w.PagesAsync(r), $"/secretariat/reviews/{w.ReviewId}/stage", ("to", await w.NextStageAsync())),
            redirectTo: "/secretariat/reviews/"),
        Page("GET", "/secretariat/status",                            [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/status")),
        Page("GET", "/secretariat/status.csv",                        [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/status.csv"), "text/csv"),
        Page("GET", "/secretariat/status.json",                       [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/status.json"), "application/json"),
        Page("GET", "/secretariat/lots",                              [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/lots")),
        Page("POST", "/secretariat/lots",                             [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await MatrixWorld.PostFileAsync(await w.PagesAsync(r), "/secretariat/lots", LotsFile("XMC", "XMA", "XMW"))),
        Page("GET", "/secretariat/states",                            [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await (await w.PagesAsync(r)).GetAsync("/secretariat/states")),
        Page("POST", "/secretariat/states",                           [DenyPage, DenyPage, DenyPage, DenyPage, Allow, DenyPage, DenyPage, SignInFirst],
            async (w, r) => await MatrixWorld.PostFileAsync(await w.PagesAsync(r), "/secretariat/states", "iso3,name,regional_group,instruments\nXMY,Matrix Y,APG,UNTOC\n")),
    ];

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    private static string LotsFile(string reviewed, string ownGroup, string otherGroup) =>
        "group,state_under_review,reviewing_state,instruments,working_languages,start_date\n" +
        $"1,{reviewed},{ownGroup},UNTOC,en,2026-01-05\n1,{reviewed},{otherGroup},UNTOC,en,2026-01-05\n";

    /// <summary>
    /// A page row: allowed means the status and media type (or, for <paramref name="redirectTo"/>, a redirect there);
    /// <see cref="DenyPage"/> and <see cref="SignInFirst"/> are checked by the runner.
    /// </summary>
    private static HttpRow Page(
        string method, string route, Expect[] expected, Func<MatrixWorld, MatrixRole, Task<HttpResponseMessage>> send,
        string mediaType = "text/html", string? redirectTo = null, MatrixRole? expectRedirectFor = null) => new(
        method, route, null, expected, send,
        async (_, r, response) =>
        {
            if (redirectTo is not null || r == expectRedirectFor)
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith(redirectTo ?? "/secretariat", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
                return;
            }

            var body = await Text(response, mediaType);
            Assert.NotEmpty(body);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        });
}
