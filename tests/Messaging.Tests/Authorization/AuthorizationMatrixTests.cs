using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using static SecureDialogue.Messaging.Tests.Authorization.Expect;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// Security bar 20: every HTTP endpoint and hub method x every role, allowed or denied, from ONE table. Each cell runs
/// against the real server (<see cref="MatrixWorld"/>): allowed means 2xx with the operation's body (hub: its result),
/// denied means the problem details (hub: the <c>HubException</c> code) the table names. A route, endpoint or hub
/// method without a row fails <see cref="Table_CoversEveryRouteConstantAndHubMethod"/> and
/// <see cref="Table_MatchesTheEndpointsTheServerMaps"/>.
/// </summary>
public sealed partial class AuthorizationMatrixTests(MatrixWorld world) : IClassFixture<MatrixWorld>
{
    private const string Dialogue = "dialogue";
    private const string Reviewers = "reviewers";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The table. Columns, in <see cref="MatrixRole"/> order: focal point (KEN, reviewing), expert of the State under
    /// review (AUT), expert of a reviewing State (FRA), observer (AUT), secretariat assigned, outsider, member of another
    /// review, anonymous.
    /// </summary>
    public static readonly IReadOnlyList<MatrixRow> Table = [.. CoreRows, .. MechanismRows, .. PublicationRows, .. AmendmentRows];

    private static IReadOnlyList<MatrixRow> CoreRows =>
    [
        //                                                              Focal    ExpUR    ExpRv    Obs      Sec      Out      Other    Anon
        new HttpRow("GET", "/", null,                                  [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            (w, r) => w.Http(r).GetAsync("/"),
            async (_, _, response) => Assert.Contains("SecureDialogue is running", await Text(response, "text/html"), StringComparison.Ordinal)),
        new HttpRow("GET", "/healthz", null,                           [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            (w, r) => w.Http(r).GetAsync("/healthz"),
            async (_, _, response) => Assert.Equal("ok", (await Json<JsonElement>(response, HttpStatusCode.OK)).GetProperty("status").GetString())),
        new HttpRow("POST", HttpRoutes.DevToken, null,                 [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow],
            (w, r) => w.Http(r).PostAsJsonAsync(HttpRoutes.DevToken, new DevTokenRequest($"matrix-{r}")),
            async (_, _, response) =>
            {
                var token = await Json<DevTokenResponse>(response, HttpStatusCode.OK);
                Assert.Equal(3, token.AccessToken.Split('.').Length);
                Assert.True(token.ExpiresIn > 0);
            }),
        new HttpRow("GET", HttpRoutes.Me, null,                        [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.Me),
            async (w, r, response) =>
            {
                var me = await Json<MeResponse>(response, HttpStatusCode.OK);
                Assert.Equal(w.Signed(r).AccountId, me.AccountId);
                Assert.Equal(r == MatrixRole.Secretariat, me.IsSecretariat);
            }),
        new HttpRow("POST", HttpRoutes.Devices, null,                  [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            async (w, r) =>
            {
                using var device = DeviceIdentity.Create();
                return await w.Http(r).PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode()));
            },
            async (w, r, response) =>
            {
                var entry = await Json<DeviceEntry>(response, HttpStatusCode.Created);
                Assert.Equal(w.Signed(r).AccountId, entry.AccountId);
                Assert.NotEqual(w.Signed(r).Device.Id.ToString(), entry.DeviceId);
            }),
        new HttpRow("GET", HttpRoutes.Reviews, null,                   [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.Reviews),
            async (w, r, response) =>
            {
                var ids = (await Json<List<ReviewSummary>>(response, HttpStatusCode.OK)).Select(s => s.ReviewId).ToList();
                Assert.Equal(MatrixWorld.IsMemberOfA(r), ids.Contains(w.ReviewId));
                Assert.Equal(r == MatrixRole.OtherReviewMember, ids.Contains(w.Other.ReviewId));
            }),
        new HttpRow("POST", HttpRoutes.Reviews, null,                  [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsJsonAsync(HttpRoutes.Reviews, w.NewReview()),
            async (w, r, response) =>
            {
                var detail = await Json<ReviewDetail>(response, HttpStatusCode.Created);
                Assert.NotEqual(w.ReviewId, detail.ReviewId);
                Assert.Contains(detail.Members, m => m.AccountId == w.Signed(r).AccountId && m.Role == MemberRole.Secretariat);
            }),
        new HttpRow("GET", HttpRoutes.Review, null,                    [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ReviewOf(w.ReviewId)),
            async (w, _, response) =>
            {
                var detail = await Json<ReviewDetail>(response, HttpStatusCode.OK);
                Assert.Equal(w.ReviewId, detail.ReviewId);
                // The five of the scenario, plus the AUT focal point the focal-points cell may have registered.
                Assert.Equal(5, detail.Members.Count(m => !(m.Role == MemberRole.FocalPoint && m.StateCode == "AUT")));
                Assert.Equal([Dialogue, Reviewers], detail.Channels.Select(c => c.Name));
            }),
        new HttpRow("GET", HttpRoutes.ReviewDevices, null,             [Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ReviewDevicesOf(w.ReviewId)),
            async (w, _, response) =>
            {
                var devices = (await Json<List<DeviceEntry>>(response, HttpStatusCode.OK)).Select(d => d.DeviceId).ToList();
                Assert.All(new[] { w.Review.Alice, w.Review.Bob, w.Review.Carol, w.Review.Olga }, p => Assert.Contains(p.Device.Id.ToString(), devices));
                Assert.DoesNotContain(w.Review.Secretariat.Device.Id.ToString(), devices);
            }),
        new HttpRow("GET", TrustRoutes.Members, null,                  [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(TrustRoutes.MembersOf(w.ReviewId)),
            async (w, r, response) =>
            {
                var members = await Json<ReviewMembersResponse>(response, HttpStatusCode.OK);
                Assert.Contains(members.Members, m => m.AccountId == w.Review.Carol.AccountId && m.Role == MemberRole.FocalPoint);
                // The secretariat sees the people, not their device cards.
                var devices = members.Members.SelectMany(m => m.Devices).Select(d => d.DeviceId).ToList();
                Assert.Equal(r != MatrixRole.Secretariat, devices.Contains(w.Review.Alice.Device.Id.ToString()));
            }),
        new HttpRow("GET", TrustRoutes.Device, null,                   [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            (w, r) => w.Http(r).GetAsync(TrustRoutes.DeviceOf(w.Review.Alice.Device.Id.ToString())),
            async (w, _, response) =>
            {
                // Device cards are public keys: any signed-in caller may look one up to certify it.
                var entry = await Json<DeviceEntry>(response, HttpStatusCode.OK);
                Assert.Equal((w.Review.Alice.Device.Id.ToString(), w.Review.Alice.AccountId), (entry.DeviceId, entry.AccountId));
                Assert.Equal(w.Review.Alice.Device.PublicKeys.Encode(), entry.Card);
            }),
        new HttpRow("POST", TrustRoutes.FocalPoints, null,             [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsJsonAsync(TrustRoutes.FocalPointsOf(w.ReviewId),
                new SetFocalPoint("AUT", "matrix-fp-" + Guid.NewGuid().ToString("N")[..8], "Focal point of AUT", "NV/2026/17")),
            async (w, r, response) =>
            {
                var entry = await Json<FocalPointEntry>(response, HttpStatusCode.OK);
                Assert.Equal(("AUT", "NV/2026/17", w.Signed(r).AccountId), (entry.StateCode, entry.Nomination, entry.RegisteredBy));
                Assert.Null(entry.EndedAt);
            }),
        new HttpRow("POST", TrustRoutes.Statements, null,              [Allow,   Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny401],
            (w, r) =>
            {
                // Each caller's own device claims to be its State's trust root: only the focal point may.
                var caller = w.Caller(r) ?? w.Review.Alice;
                var statement = TrustStatementBuilder.Root(caller.Device, w.ReviewId, "KEN", caller.AccountId, 1, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), "");
                return w.Http(r).PostAsJsonAsync(TrustRoutes.StatementsOf(w.ReviewId), new SubmitTrustStatement(statement.Encoded.ToArray()));
            },
            async (w, _, response) =>
            {
                var entry = await Json<TrustStatementEntry>(response, HttpStatusCode.Created);
                var stored = TrustStatement.Decode(entry.Statement).Value!;
                Assert.True(stored.IsRoot);
                Assert.Equal(w.Review.Carol.Device.Id, stored.Certifier);
            }),
        ReadEpochs(Dialogue,                                           [Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny401]),
        ReadEpochs(Reviewers,                                          [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        AddEpoch(Dialogue,                                             [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        AddEpoch(Reviewers,                                            [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        ReadEnvelopes(Dialogue,                                        [Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny401]),
        ReadEnvelopes(Reviewers,                                       [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        PostEnvelope(Dialogue,                                         [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        PostEnvelope(Reviewers,                                        [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        BeginUpload(Dialogue,                                          [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        BeginUpload(Reviewers,                                         [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        UploadStatus(Dialogue,                                         [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        UploadStatus(Reviewers,                                        [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        PutPart(Dialogue,                                              [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        PutPart(Reviewers,                                             [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        CompleteUpload(Dialogue,                                       [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        CompleteUpload(Reviewers,                                      [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        AbortUpload(Dialogue,                                          [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        AbortUpload(Reviewers,                                         [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        DownloadBlob(Dialogue,                                         [Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny401]),
        DownloadBlob(Reviewers,                                        [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        new HttpRow("GET", HttpRoutes.ArchiveKeys, null,               [Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Allow,   Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveKeys),
            async (_, _, response) =>
            {
                var keys = await Json<ArchiveKeys>(response, HttpStatusCode.OK);
                Assert.True(Vault.Archive.ArchiveLogKey.FromVerifierKey(keys.Keys[^1].VerifierKey).IsSuccess);
            }),
        new HttpRow("GET", HttpRoutes.ArchiveCheckpoint, null,         [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, w.ReviewId)),
            async (w, _, response) =>
            {
                var checkpoint = await Json<ArchiveCheckpoint>(response, HttpStatusCode.OK);
                Assert.Equal(Vault.Archive.ArchiveOrigin.ForReview(w.ReviewId), Vault.Archive.SignedCheckpoint.Parse(checkpoint.Checkpoint).Value!.Origin);
            }),
        new HttpRow("GET", HttpRoutes.ArchiveEntries, null,            [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, w.ReviewId)),
            async (_, r, response) =>
            {
                // Entries of channels the role does not read come as leaf hashes only (envelope entries are summaries, 16.2.1).
                var page = await Json<ArchiveEntryPage>(response, HttpStatusCode.OK);
                Assert.NotNull(page.Items[0].Entry);
                var envelopes = page.Items.Where(i => i.Kind == (int)Vault.Archive.ArchiveEntryKind.Envelope).ToList();
                var shown = envelopes.Where(i => i.Entry is not null)
                    .Select(i => Vault.Envelopes.EnvelopeSummary.Decode(Vault.Archive.ArchiveEntry.Decode(i.Entry).Value!.Payload.Span).Value!.Header.Channel.Value)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(ReadableChannels(r), shown);
                Assert.Equal(ReadableChannels(r).Count == 2, envelopes.All(i => i.Entry is not null));
            }),
        new HttpRow("GET", HttpRoutes.ArchiveInclusion, null,          [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveInclusion, w.ReviewId) + "?size=2&index=0&index=1"),
            async (_, _, response) =>
            {
                var proofs = await Json<ArchiveInclusionProofs>(response, HttpStatusCode.OK);
                Assert.Equal([0L, 1L], proofs.Proofs.Select(p => p.Index));
                Assert.All(proofs.Proofs, p => Assert.Single(p.Proof));
            }),
        new HttpRow("GET", HttpRoutes.ArchiveRange, null,              [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveRange, w.ReviewId) + "?size=3&start=0&end=2"),
            async (_, _, response) =>
            {
                var proof = await Json<ArchiveRangeProof>(response, HttpStatusCode.OK);
                Assert.Equal((3L, 0L, 2L), (proof.TreeSize, proof.Start, proof.End));
                Assert.Single(proof.Proof);
            }),
        new HttpRow("GET", HttpRoutes.ArchiveConsistency, null,        [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveConsistency, w.ReviewId) + "?from=1&to=3"),
            async (_, _, response) =>
            {
                var proof = await Json<ArchiveConsistencyProof>(response, HttpStatusCode.OK);
                Assert.Equal((1L, 3L), (proof.From, proof.To));
                Assert.Equal(2, proof.Proof.Count);
            }),
        new HttpRow("POST", HttpRoutes.ArchiveCosignatures, null,      [Allow,   Deny403, Deny403, Deny403, Deny403, Deny403, Deny403, Deny401],
            (w, r) => w.PostCosignatureAsync(r),
            async (w, r, response) =>
            {
                var accepted = await Json<CosignatureAccepted>(response, HttpStatusCode.Created);
                Assert.Equal(w.Signed(r).Device.Id.ToString(), accepted.DeviceId);
            }),
        new HttpRow("POST", HttpRoutes.ArchiveSeal, null,              [Deny403, Deny403, Deny403, Deny403, Allow,   Deny403, Deny403, Deny401],
            (w, r) => w.Http(r).PostAsJsonAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveSeal, w.ReviewId), new SealArchive()),
            async (w, _, response) =>
            {
                var info = await Json<SealedBundleInfo>(response, HttpStatusCode.Created);
                Assert.Equal("ciphertexts", info.Attachments);
                Assert.True(info.TreeSize >= 4, $"tree size {info.TreeSize}");
                Assert.EndsWith($"-{info.TreeSize}.sdlb", info.Name, StringComparison.Ordinal);
            }),
        new HttpRow("GET", HttpRoutes.ArchiveBundles, null,            [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            async (w, r) =>
            {
                await w.SealedAsync();
                return await w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveBundles, w.ReviewId));
            },
            async (w, _, response) =>
            {
                var list = await Json<SealedBundleList>(response, HttpStatusCode.OK);
                var name = (await w.SealedAsync()).Name;
                Assert.Contains(list.Bundles, b => b.Name == name && b.Attachments == "digests");
            }),
        new HttpRow("GET", HttpRoutes.ArchiveBundle, null,             [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            async (w, r) => await w.Http(r).GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveBundles, w.ReviewId) + "/" + (await w.SealedAsync()).Name),
            async (w, _, response) =>
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                var receipt = await w.SealedAsync();
                Assert.Equal(receipt.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
                var keys = await w.Review.Alice.Http.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
                var verification = await Vault.Archive.Bundles.BundleVerifier.VerifyAsync(new MemoryStream(bytes), new Vault.Archive.Bundles.BundleVerifierOptions
                {
                    TrustedLogKeys = [.. keys!.Keys.Select(k => Vault.Archive.ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!)],
                });
                Assert.True(verification.IsValid, verification.Failure?.ToString());
                Assert.Equal(receipt.TreeSize, verification.Summary!.TreeSize);
            }),
        new HubRow(DialogueHubContract.JoinReview, null,               [Allow,   Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny401],
            async (w, _, connection) => await connection.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, w.ReviewId),
            (w, r, result) =>
            {
                // Joined to exactly the channels the table lets this role read (the secretariat: none).
                var joined = Assert.IsType<JoinedReview>(result);
                Assert.Equal(w.ReviewId, joined.ReviewId);
                Assert.Equal(ReadableChannels(r), joined.Channels);
            }),
        HubSend(Dialogue,                                              [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        HubSend(Reviewers,                                             [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
    ];

    public static TheoryData<string, MatrixRole> Cells()
    {
        var cells = new TheoryData<string, MatrixRole>();
        foreach (var row in Table)
        {
            foreach (var role in Enum.GetValues<MatrixRole>())
            {
                cells.Add(row.Operation, role);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Operation_CalledByRole_HasTheTablesOutcome(string operation, MatrixRole role)
    {
        // Arrange
        var row = Table.Single(r => r.Operation == operation);
        var expected = row.For(role);

        // Act and assert
        if (row is HttpRow http)
        {
            await RunHttpCellAsync(http, role, expected);
        }
        else
        {
            await RunHubCellAsync((HubRow)row, role, expected);
        }
    }

    [Fact]
    public void Table_CoversEveryRouteConstantAndHubMethod()
    {
        // Arrange
        var routes = typeof(HttpRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(MechanismRoutes).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Concat(typeof(TrustRoutes).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Concat(typeof(AmendmentRoutes).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Concat(typeof(PublicationRoutes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.Name != nameof(PublicationRoutes.MediaType)))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var hubMethods = typeof(DialogueHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Where(m => m.GetBaseDefinition().DeclaringType == typeof(DialogueHub)) // lifecycle overrides (OnDisconnectedAsync) are not client-callable
            .Select(m => m.Name)
            .ToList();

        // Act
        var httpRows = Table.OfType<HttpRow>().ToList();
        var hubRows = Table.OfType<HubRow>().ToList();

        // Assert: every route constant and hub method has rows, channel operations one per channel, every row a cell
        // per role, and no two rows share a name.
        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.Contains(httpRows, r => r.Route == route));
        Assert.Contains(nameof(DialogueHub.Send), hubMethods);
        Assert.All(hubMethods, method => Assert.Contains(hubRows, r => r.Method == method));
        Assert.All(httpRows.Where(r => r.Route.Contains("{channel}", StringComparison.Ordinal)).GroupBy(r => (r.Method, r.Route)),
            group => Assert.Equal(ChannelRules.All, group.Select(r => r.Channel!).Order(StringComparer.Ordinal)));
        Assert.Equal(ChannelRules.All, hubRows.Where(r => r.Method == DialogueHubContract.Send).Select(r => r.Channel!).Order(StringComparer.Ordinal));
        Assert.All(Table, row => Assert.Equal(Enum.GetValues<MatrixRole>().Length, row.Expected.Count));
        Assert.Equal(Table.Count, Table.Select(r => r.Operation).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Table_MatchesTheEndpointsTheServerMaps()
    {
        // Arrange: every endpoint of the running server, the hub's own (connect, negotiate) aside.
        var mapped = world.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(DialogueHubContract.Path, StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var hubEndpoints = world.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Count(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(DialogueHubContract.Path, StringComparison.Ordinal));

        // Act
        var tabled = Table.OfType<HttpRow>().Select(r => $"{r.Method} {r.Route}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // Assert: no endpoint without a row, no row without an endpoint.
        Assert.Equal(tabled, mapped);
        Assert.True(hubEndpoints > 0);
        Assert.Contains(Table, r => r is HubRow);
    }

    [Fact]
    public async Task Api_TokenInQueryStringOutsideTheHub_Unauthorized()
    {
        // Arrange: the access_token query parameter is for /hubs/* only (browsers cannot set WebSocket headers).
        var token = world.Review.Alice.Token;

        // Act
        using var response = await world.Host.Anonymous.GetAsync($"{HttpRoutes.Me}?access_token={Uri.EscapeDataString(token)}");

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    private static HttpRow ReadEpochs(string channel, Expect[] expected) => new(
        "GET", HttpRoutes.Epochs, channel, expected,
        (w, r) => w.Http(r).GetAsync(HttpRoutes.EpochsOf(w.ReviewId, channel)),
        async (w, _, response) =>
        {
            var records = await Json<List<EpochRecordEntry>>(response, HttpStatusCode.OK);
            var current = w.Current(channel).Record;
            Assert.Equal(Enumerable.Range(0, (int)current.Epoch + 1).Select(e => (uint)e), records.Select(e => e.Epoch));
            Assert.Equal(current.Encoded.ToArray(), records[^1].Record);
        });

    private static HttpRow AddEpoch(string channel, Expect[] expected) => new(
        "POST", HttpRoutes.Epochs, channel, expected,
        (w, r) => w.PostNextEpochAsync(r, channel),
        async (w, _, response) =>
        {
            var entry = await Json<EpochRecordEntry>(response, HttpStatusCode.Created);
            Assert.Equal(w.Current(channel).Record.Epoch, entry.Epoch);
            Assert.Equal(w.Current(channel).Record.Encoded.ToArray(), entry.Record);
        });

    private static HttpRow ReadEnvelopes(string channel, Expect[] expected) => new(
        "GET", HttpRoutes.Envelopes, channel, expected,
        (w, r) => w.Http(r).GetAsync(HttpRoutes.EnvelopesOf(w.ReviewId, channel)),
        async (_, _, response) =>
        {
            var page = await Json<EnvelopePage>(response, HttpStatusCode.OK);
            Assert.Equal(1, page.Items[0].Sequence);
            Assert.Equal(page.Items.Select(i => i.Sequence).Order(), page.Items.Select(i => i.Sequence));
        });

    private static HttpRow PostEnvelope(string channel, Expect[] expected) => new(
        "POST", HttpRoutes.Envelopes, channel, expected,
        (w, r) => w.PostEnvelopeAsync(r, channel),
        async (_, _, response) =>
        {
            var ack = await Json<SendAck>(response, HttpStatusCode.OK);
            Assert.False(ack.Duplicate);
            Assert.True(ack.Sequence > 1);
        });

    private static HttpRow BeginUpload(string channel, Expect[] expected) => new(
        "POST", HttpRoutes.Uploads, channel, expected,
        (w, r) => w.Http(r).PostAsJsonAsync(HttpRoutes.UploadsOf(w.ReviewId, channel), new BeginUpload(MatrixWorld.BlobLength)),
        async (_, _, response) =>
        {
            var status = await Json<UploadStatus>(response, HttpStatusCode.Created);
            Assert.Equal(MatrixWorld.BlobLength, status.Length);
            Assert.Equal(1, status.PartCount);
            Assert.Empty(status.AcknowledgedParts);
            Assert.EndsWith(status.UploadId, response.Headers.Location?.ToString(), StringComparison.Ordinal);
        });

    private static HttpRow UploadStatus(string channel, Expect[] expected) => new(
        "GET", HttpRoutes.Upload, channel, expected,
        async (w, r) => await w.Http(r).GetAsync(HttpRoutes.UploadOf(w.ReviewId, channel, await w.UploadOfAsync(r, channel, partSent: true))),
        async (_, _, response) =>
        {
            var status = await Json<UploadStatus>(response, HttpStatusCode.OK);
            Assert.Equal([1], status.AcknowledgedParts);
        });

    private static HttpRow PutPart(string channel, Expect[] expected) => new(
        "PUT", HttpRoutes.UploadPart, channel, expected,
        async (w, r) =>
        {
            var upload = await w.UploadOfAsync(r, channel, partSent: false);
            return await w.Http(r).PutAsync(HttpRoutes.UploadPartOf(w.ReviewId, channel, upload, 1), new ByteArrayContent(MatrixWorld.BlobBytes(channel)));
        },
        async (_, _, response) =>
        {
            var part = await Json<UploadedPart>(response, HttpStatusCode.OK);
            Assert.Equal(new UploadedPart(1, MatrixWorld.BlobLength), part);
        });

    private static HttpRow CompleteUpload(string channel, Expect[] expected) => new(
        "POST", HttpRoutes.UploadCompletion, channel, expected,
        async (w, r) => await w.Http(r).PostAsJsonAsync(
            HttpRoutes.UploadCompletionOf(w.ReviewId, channel, await w.UploadOfAsync(r, channel, partSent: true)),
            new CompleteUpload(SecureDialogue.Vault.Attachments.AttachmentCiphertextHash.Compute(MatrixWorld.BlobBytes(channel)))),
        async (w, _, response) =>
        {
            var blob = await Json<BlobEntry>(response, HttpStatusCode.OK);
            Assert.Equal(MatrixWorld.BlobId(channel), blob.BlobId);
            Assert.Equal(MatrixWorld.BlobLength, blob.Length);
        });

    private static HttpRow AbortUpload(string channel, Expect[] expected) => new(
        "DELETE", HttpRoutes.Upload, channel, expected,
        async (w, r) => await w.Http(r).DeleteAsync(HttpRoutes.UploadOf(w.ReviewId, channel, await w.UploadOfAsync(r, channel, partSent: true))),
        (_, _, response) =>
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            return Task.CompletedTask;
        });

    private static HttpRow DownloadBlob(string channel, Expect[] expected) => new(
        "GET", HttpRoutes.Blob, channel, expected,
        (w, r) => w.Http(r).GetAsync(HttpRoutes.BlobOf(w.ReviewId, channel, MatrixWorld.BlobId(channel))),
        async (w, _, response) =>
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(MatrixWorld.BlobBytes(channel), await response.Content.ReadAsByteArrayAsync());
        });

    private static HubRow HubSend(string channel, Expect[] expected) => new(
        DialogueHubContract.Send, channel, expected,
        async (w, r, connection) => await connection.InvokeAsync<SendAck>(
            DialogueHubContract.Send, new SendEnvelope(w.ReviewId, channel, w.Seal(w.Signed(r), channel))),
        (_, _, result) =>
        {
            var ack = Assert.IsType<SendAck>(result);
            Assert.False(ack.Duplicate);
            Assert.True(ack.Sequence > 1);
        });

    /// <summary>The channels the table lets a role read (GET envelopes allowed).</summary>
    private static List<string> ReadableChannels(MatrixRole role) =>
        [.. Table.OfType<HttpRow>().Where(r => r.Method == "GET" && r.Route == HttpRoutes.Envelopes && r.For(role) == Allow).Select(r => r.Channel!)];

    private async Task RunHttpCellAsync(HttpRow row, MatrixRole role, Expect expected)
    {
        using var response = await row.Send(world, role);
        switch (expected)
        {
            case Allow:
                await row.CheckAllowed(world, role, response);
                break;
            case Deny401:
                await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                break;
            case Deny403:
                await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
                break;
            case Deny404:
                await Problems.AssertAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
                break;
            case SignInFirst:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.EndsWith("/secretariat/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
                break;
            case DenyPage:
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("<table", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                break;
        }
    }

    private async Task RunHubCellAsync(HubRow row, MatrixRole role, Expect expected)
    {
        if (world.Caller(role) is null)
        {
            Assert.Equal(Deny401, expected);
            await AssertHubRefusesAnonymousAsync();
            return;
        }

        await using var connection = await world.ConnectAsync(role);
        if (expected == Allow)
        {
            row.CheckAllowed(world, role, await row.Invoke(world, role, connection));
            return;
        }

        var error = await Assert.ThrowsAsync<HubException>(() => row.Invoke(world, role, connection));
        var type = expected switch
        {
            Deny403 => ProblemTypes.Forbidden,
            Deny404 => ProblemTypes.NotFound,
            _ => throw new InvalidOperationException($"A signed-in hub caller cannot expect {expected}."),
        };
        Assert.Equal(ProblemTypes.CodeOf(type), DialogueHubContract.ErrorCodeOf(error.Message));
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    /// <summary>Without a token the hub cannot even be reached: the WebSocket upgrade and the negotiation get 401.</summary>
    private async Task AssertHubRefusesAnonymousAsync()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(world.Host.HubUrl) { Scheme = "ws" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);

        using var negotiate = await world.Host.Anonymous.PostAsync($"{DialogueHubContract.Path}/negotiate?negotiateVersion=1", null);
        await Problems.AssertAsync(negotiate, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    private static async Task<T> Json<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await Text(response, "application/json", status);
        return JsonSerializer.Deserialize<T>(body, s_json)!;
    }

    private static async Task<string> Text(HttpResponseMessage response, string mediaType, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
