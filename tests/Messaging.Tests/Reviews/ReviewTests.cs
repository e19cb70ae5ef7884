using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Reviews;

/// <summary>Setting reviews up, and who sees them.</summary>
public sealed class ReviewTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task Create_BySecretariat_CreatesChannelsAndPreProvisionsMembers()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var staff = host.ClientWith(await host.TokenAsync($"staff-{tag}", secretariat: true));
        var request = new CreateReview("Review of Kenya", "KEN", ["AUT", "BRA"], ["en"],
        [
            new NewMember($"ken-{tag}", "Kenyan expert", "KEN", MemberRole.FocalPoint),
            new NewMember($"aut-{tag}", "Austrian expert", "AUT", MemberRole.Expert),
            new NewMember($"obs-{tag}", "Observer", "BRA", MemberRole.Observer),
        ]);

        // Act
        using var response = await staff.PostAsJsonAsync(HttpRoutes.Reviews, request);
        var detail = await response.Content.ReadFromJsonAsync<ReviewDetail>();
        using var ken = host.ClientWith(await host.TokenAsync($"ken-{tag}"));
        var kenMe = await ken.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpRoutes.ReviewOf(detail!.ReviewId), response.Headers.Location?.OriginalString);
        Assert.Equal(["AUT", "BRA"], detail.ReviewingStates);
        Assert.Equal(4, detail.Members.Count);
        Assert.Equal(MemberRole.Secretariat, detail.Members.Single(m => m.DisplayName == $"staff-{tag}").Role);
        var kenMember = detail.Members.Single(m => m.DisplayName == "Kenyan expert");
        Assert.Equal(kenMember.AccountId, kenMe!.AccountId);
        var channels = detail.Channels.ToDictionary(c => c.Name);
        Assert.Equal(["dialogue", "reviewers"], channels.Keys);
        Assert.Equal(3, channels["dialogue"].Readers.Count);
        Assert.Equal(2, channels["reviewers"].Readers.Count);
        Assert.DoesNotContain(kenMember.AccountId, channels["reviewers"].Readers);
        Assert.Null(channels["dialogue"].CurrentEpoch);
        Assert.Equal(0, channels["dialogue"].LastSequence);
    }

    [Fact]
    public async Task Create_ByNonSecretariat_Forbidden()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var expert = host.ClientWith(await host.TokenAsync("expert-" + Guid.NewGuid().ToString("N")[..8]));

        // Act
        using var response = await expert.PostAsJsonAsync(HttpRoutes.Reviews, new CreateReview("Review", "KEN", ["AUT"], ["en"], []));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Create_InvalidRequest_BadRequestListingEveryProblem()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var staff = host.ClientWith(await host.TokenAsync("staff-" + Guid.NewGuid().ToString("N")[..8], secretariat: true));
        var request = new CreateReview("", "ken", ["KEN", "AUT", "AUT"], ["en", "de"],
        [
            new NewMember("x", "X", "FRA", MemberRole.Expert),
            new NewMember("x", "Y", "AUT", MemberRole.Secretariat),
        ]);

        // Act
        using var response = await staff.PostAsJsonAsync(HttpRoutes.Reviews, request);

        // Assert
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "title", "reviewedState", "reviewingStates[2]", "languages[1]", "members[0].stateCode", "members[1].subject", "members[1].stateCode",
        }, fields);
    }

    [Theory]
    [InlineData("{\"title\":")]
    [InlineData("{\"title\":\"t\",\"reviewedState\":\"KEN\",\"reviewingStates\":[\"AUT\"],\"languages\":[\"en\"],\"members\":[{\"subject\":\"a\",\"displayName\":\"A\",\"stateCode\":\"KEN\",\"role\":\"King\"}]}")]
    [InlineData("{\"title\":\"t\",\"reviewedState\":\"KEN\",\"reviewingStates\":null,\"languages\":null,\"members\":[null]}")]
    [InlineData("null")]
    public async Task Create_MalformedJson_BadRequestNotServerError(string body)
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var staff = host.ClientWith(await host.TokenAsync("staff-" + Guid.NewGuid().ToString("N")[..8], secretariat: true));
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        // Act
        using var response = await staff.PostAsync(HttpRoutes.Reviews, content);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }

    [Fact]
    public async Task List_ShowsReviewsToMembersAndAssignedSecretariatOnly()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        using var otherStaff = host.ClientWith(await host.TokenAsync("staff-" + Guid.NewGuid().ToString("N")[..8], secretariat: true));

        // Act
        var forAlice = await review.Alice.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);
        var forSecretariat = await review.Secretariat.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);
        var forOutsider = await review.Mallory.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);
        var forOtherStaff = await otherStaff.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);

        // Assert
        Assert.Equal(review.ReviewId, Assert.Single(forAlice!).ReviewId);
        Assert.Equal(review.ReviewId, Assert.Single(forSecretariat!).ReviewId);
        Assert.Empty(forOutsider!);
        Assert.Empty(forOtherStaff!);
    }

    [Fact]
    public async Task Detail_ForOutsiderOrUnknownReview_ForbiddenOrNotFound()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);

        // Act
        using var outsider = await review.Mallory.Http.GetAsync(HttpRoutes.ReviewOf(review.ReviewId));
        using var unknown = await review.Alice.Http.GetAsync(HttpRoutes.ReviewOf(Guid.NewGuid()));
        using var notAGuid = await review.Alice.Http.GetAsync("/api/reviews/not-a-guid");
        var secretariat = await review.Secretariat.Http.GetFromJsonAsync<ReviewDetail>(HttpRoutes.ReviewOf(review.ReviewId));

        // Assert
        await Problems.AssertAsync(outsider, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(notAGuid, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(6 - 1, secretariat!.Members.Count);
    }

    [Fact]
    public async Task Enums_OnTheWire_AreNames()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);

        // Act
        var json = await review.Alice.Http.GetStringAsync(HttpRoutes.ReviewOf(review.ReviewId));

        // Assert
        using var document = JsonDocument.Parse(json);
        var roles = document.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "Expert", "Observer", "FocalPoint", "Secretariat" }, roles);
    }
}
