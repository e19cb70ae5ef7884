using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Dialogue;

[Collection(MessagingServerCollection.Name)]
public sealed class ReadCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Read_AfterAnotherProfileSent_ShowsTheVerifiedTextWithItsSender()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Our answer to question 1.", "--kind", "questionnaire-response")).AssertOk();
        (await scenario.RunAsync("ben", "send", "dialogue", "Could you clarify question 1?", "--kind", "request-for-clarification", "--language", "fr")).AssertOk();

        // Act
        var result = await scenario.RunAsync("chen", "read", "dialogue", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal([1L, 2L], items.Select(i => i.GetProperty("sequence").GetInt64()));
        Assert.All(items, i => Assert.Equal("verified", i.GetProperty("status").GetString()));
        Assert.Equal("Our answer to question 1.", items[0].GetProperty("text").GetString());
        Assert.Equal("questionnaire-response", items[0].GetProperty("kind").GetString());
        Assert.Equal(scenario.User("ana"), items[0].GetProperty("sender").GetProperty("name").GetString());
        Assert.Equal("NAM", items[0].GetProperty("sender").GetProperty("state").GetString());
        Assert.Equal("focal-point", items[0].GetProperty("sender").GetProperty("trust").GetString());
        Assert.Equal("Could you clarify question 1?", items[1].GetProperty("text").GetString());
        Assert.Equal("fr", items[1].GetProperty("language").GetString());
        Assert.Equal("request-for-clarification", items[1].GetProperty("kind").GetString());
        Assert.Equal(0u, json.RootElement.GetProperty("currentEpoch").GetUInt32());
        Assert.Empty(json.RootElement.GetProperty("alerts").EnumerateArray());
    }

    [Fact]
    public async Task Read_Text_ShowsSequenceSenderKindAndIndentedText()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ben", "send", "reviewers", "First line\nsecond line")).AssertOk();

        // Act
        var result = await scenario.RunAsync("chen", "read", "reviewers");

        // Assert
        result.AssertOk();
        Assert.Matches($@"#1  \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ  {scenario.User("ben")} \(GHA\)  dialogue-message  en  verified", result.Out);
        Assert.Contains("    First line\n    second line\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Since_ShowsOnlyLaterItemsWithoutFalseGapsLater()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        foreach (var text in new[] { "one", "two", "three" })
        {
            (await scenario.RunAsync("ana", "send", "dialogue", text)).AssertOk();
        }

        // Act
        var since = await scenario.RunAsync("ben", "read", "dialogue", "--since", "2", "--json");
        var all = await scenario.RunAsync("ben", "read", "dialogue", "--json");

        // Assert
        since.AssertOk();
        using var sinceJson = JsonDocument.Parse(since.Out);
        Assert.Equal(["three"], sinceJson.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()));
        all.AssertOk();
        using var allJson = JsonDocument.Parse(all.Out);
        Assert.Equal(["verified", "verified", "verified"], allJson.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Read_StateUnderReviewReadsReviewers_IsRefused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ben", "send", "reviewers", "between reviewers")).AssertOk();

        // Act
        var result = await scenario.RunAsync("ana", "read", "reviewers");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
        Assert.DoesNotContain("between reviewers", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Secretariat_IsRefusedAndSeesNoText()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "not for the secretariat")).AssertOk();

        // Act
        var result = await scenario.RunAsync("sam", "read", "dialogue", "--json");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
        Assert.Contains("secretariat", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Read_NotSignedIn_ExitsWithNotSignedInBeforeAskingForThePassphrase()
    {
        // Arrange
        await _sdlg.InitAsync("ana");
        _sdlg.Environment.Remove(Cli.Passphrases.PassphraseSource.EnvironmentVariable);
        _sdlg.Prompt = new ScriptedPrompt();

        // Act
        var result = await _sdlg.RunAsAsync("ana", "read", "dialogue", "--review", Guid.NewGuid().ToString());

        // Assert
        result.AssertOneLineError(ExitCodes.NotSignedIn);
    }

    [Fact]
    public async Task Read_ServerUnreachable_ExitsWithServerUnreachable()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var login = Path.Combine(_sdlg.ProfileDirectory("ben"), "login.json");
        File.WriteAllText(login, File.ReadAllText(login).Replace(server.BaseAddress.ToString(), ClosedPort.Url(), StringComparison.Ordinal));

        // Act
        var result = await scenario.RunAsync("ben", "read", "dialogue");

        // Assert
        result.AssertOneLineError(ExitCodes.ServerUnreachable);
    }

    [Fact]
    public async Task Read_BadChannelName_IsAUsageError()
    {
        // Act
        var result = await _sdlg.RunAsAsync("nobody", "read", "Not A Channel");

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
    }
}
