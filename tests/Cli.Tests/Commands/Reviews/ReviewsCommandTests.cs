using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Reviews;

[Collection(MessagingServerCollection.Name)]
public sealed class ReviewsCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Create_Secretariat_CreatesTheReviewWithItsStatesMembersAndChannels()
    {
        // Arrange + Act (the scenario runs 'reviews create --json')
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Assert
        var result = await _sdlg.RunAsAsync("sam", "reviews", "show", scenario.ReviewId.ToString(), "--json");
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("NAM", root.GetProperty("reviewedState").GetString());
        Assert.Equal(["FRA", "GHA"], root.GetProperty("reviewingStates").EnumerateArray().Select(s => s.GetString()).Order());
        var members = root.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("focal-point", members[scenario.User("ana")].GetProperty("role").GetString());
        Assert.Equal("under-review", members[scenario.User("ana")].GetProperty("stateRole").GetString());
        Assert.Equal(["dialogue"], members[scenario.User("ana")].GetProperty("reads").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["dialogue", "reviewers"], members[scenario.User("ben")].GetProperty("reads").EnumerateArray().Select(c => c.GetString()).Order());
        Assert.Equal("secretariat", members[scenario.User("sam")].GetProperty("role").GetString());
        Assert.Empty(members[scenario.User("sam")].GetProperty("reads").EnumerateArray());
        Assert.Equal(["dialogue", "reviewers"], root.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        Assert.False(root.GetProperty("devicesVisible").GetBoolean());
    }

    [Fact]
    public async Task Create_NotSecretariat_IsRefused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act
        var result = await _sdlg.RunAsAsync("ana", "reviews", "create", "--title", "Mine", "--reviewed", "NAM", "--reviewing", "GHA",
            "--member", $"{scenario.User("ana")}:NAM:expert");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
        Assert.Contains("only secretariat staff create reviews", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ana:XYZ:expert")]
    [InlineData("ana:NAM:boss")]
    [InlineData("ana")]
    [InlineData("sam:NAM:secretariat")]
    public async Task Create_BadMember_IsAUsageErrorBeforeAnyRequest(string member)
    {
        // Act: not even signed in, so a request would fail differently
        var result = await _sdlg.RunAsAsync("nobody", "reviews", "create", "--title", "T", "--reviewed", "NAM", "--reviewing", "GHA", "--member", member);

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains("--member", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Member_ListsTheReviewsItTakesPartIn()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act
        var result = await _sdlg.RunAsAsync("chen", "reviews", "list", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var review = Assert.Single(json.RootElement.GetProperty("reviews").EnumerateArray());
        Assert.Equal(scenario.ReviewId, review.GetProperty("reviewId").GetGuid());
        Assert.Equal($"Review {scenario.Suffix}", review.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Show_OnlyReviewOmitted_ShowsItWithTheMembersDevicesAndNoAlertOnFirstUse()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act: no REVIEW argument
        var result = await _sdlg.RunAsAsync("ben", "reviews", "show", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(scenario.ReviewId, root.GetProperty("reviewId").GetGuid());
        Assert.True(root.GetProperty("devicesVisible").GetBoolean());
        Assert.Empty(root.GetProperty("alerts").EnumerateArray());
        var members = root.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("this-device", Assert.Single(members[scenario.User("ben")].GetProperty("devices").EnumerateArray()).GetProperty("trust").GetString());
        Assert.Equal("first-use", Assert.Single(members[scenario.User("ana")].GetProperty("devices").EnumerateArray()).GetProperty("trust").GetString());
        Assert.Equal(root.GetProperty("you").GetGuid(), members[scenario.User("ben")].GetProperty("accountId").GetGuid());
    }

    [Fact]
    public async Task Show_NotAMember_IsRefused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        await scenario.SignInAsync(server, "eve");

        // Act
        var result = await _sdlg.RunAsAsync("eve", "reviews", "show", scenario.ReviewId.ToString());

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
    }

    [Fact]
    public async Task Show_NoReviewAndNoneGiven_IsRefusedWithAHint()
    {
        // Arrange
        await _sdlg.InitAsync("loner");
        (await _sdlg.RunAsAsync("loner", "login", "--server", server.BaseAddress.ToString(), "--dev-user", "loner-" + Guid.NewGuid().ToString("N")[..8])).AssertOk();

        // Act
        var result = await _sdlg.RunAsAsync("loner", "reviews", "show");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
        Assert.Contains("no review", result.Error, StringComparison.Ordinal);
    }
}
