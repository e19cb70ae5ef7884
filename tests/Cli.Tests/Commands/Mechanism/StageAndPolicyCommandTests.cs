using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Mechanism;

/// <summary><c>sdlg stage</c> and <c>sdlg policy</c> against the real server: who may do what, what is printed, exit codes.</summary>
[Collection(MessagingServerCollection.Name)]
public sealed class StageAndPolicyCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Stage_SecretariatAdvances_MembersSeeIt_OthersAreRefused()
    {
        // Arrange
        var (scenario, review) = await CreateAsync();

        // Act
        var before = await _sdlg.RunAsAsync("ana", "stage", "--review", review, "--json");
        var byMember = await _sdlg.RunAsAsync("ana", "stage", "advance", "--review", review);
        var bySecretariat = await _sdlg.RunAsAsync("sam", "stage", "advance", "--review", review, "--json");
        var skipping = await _sdlg.RunAsAsync("sam", "stage", "advance", "--review", review, "--to", "summary");
        var listed = await _sdlg.RunAsAsync("ben", "reviews", "list");

        // Assert
        before.AssertOk();
        Assert.Equal("not-started", Json(before.Out).GetProperty("stage").GetString());
        byMember.AssertOneLineError(7);
        bySecretariat.AssertOk();
        var moved = Json(bySecretariat.Out);
        Assert.Equal("preliminary-consultation", moved.GetProperty("stage").GetString());
        Assert.Equal(scenario.User("sam"), moved.GetProperty("history")[0].GetProperty("displayName").GetString());
        Assert.NotEqual(0, skipping.ExitCode);
        listed.AssertOk();
        Assert.Contains("preliminary-consultation", listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_FocalPointSetsASignedStatement_OthersVerifyIt_NonFocalPointIsRefused()
    {
        // Arrange
        var (_, review) = await CreateAsync();

        // Act
        var defaults = await _sdlg.RunAsAsync("ben", "policy", "show", "--review", review, "--json");
        var set = await _sdlg.RunAsAsync("ana", "policy", "set", "--review", review, "--metadata", "per-person", "--content", "dialogue", "--json");
        var shown = await _sdlg.RunAsAsync("ben", "policy", "show", "--review", review);
        var byExpert = await _sdlg.RunAsAsync("ben", "policy", "set", "--review", review, "--metadata", "counts-only");
        var badLevel = await _sdlg.RunAsAsync("ana", "policy", "set", "--review", review, "--metadata", "everything");

        // Assert
        defaults.AssertOk();
        Assert.Equal(("per-state", 0u), (Json(defaults.Out).GetProperty("metadata").GetString(), Json(defaults.Out).GetProperty("version").GetUInt32()));
        set.AssertOk();
        Assert.Equal(1u, Json(set.Out).GetProperty("version").GetUInt32());
        shown.AssertOk();
        Assert.Contains("per-person", shown.Out, StringComparison.Ordinal);
        Assert.Contains(": verified", shown.Out, StringComparison.Ordinal);
        byExpert.AssertOneLineError(7);
        badLevel.AssertOneLineError(2);
    }

    private async Task<(DialogueScenario Scenario, string Review)> CreateAsync()
    {
        // A review of NAM whose focal point is ana; ben is an expert of GHA; sam the secretariat.
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var created = await _sdlg.RunAsAsync("sam", ["reviews", "create", "--title", $"Policy {scenario.Suffix}", "--reviewed", "NAM", "--reviewing", "GHA", "--reviewing", "FRA",
            "--language", "en", "--member", $"{scenario.User("ana")}:NAM:focal-point", "--member", $"{scenario.User("ben")}:GHA:expert", "--json"]);
        created.AssertOk();
        return (scenario, Json(created.Out).GetProperty("reviewId").GetGuid().ToString());
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
