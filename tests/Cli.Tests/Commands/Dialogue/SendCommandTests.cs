using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Dialogue;

[Collection(MessagingServerCollection.Name)]
public sealed class SendCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Send_Json_ReportsTheAcknowledgedSequenceAndNeverEchoesTheText()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act
        var first = await scenario.RunAsync("ana", "send", "dialogue", "secret answer", "--json");
        var second = await scenario.RunAsync("ana", "send", "dialogue", "second secret", "--json");

        // Assert
        first.AssertOk();
        second.AssertOk();
        using var json = JsonDocument.Parse(second.Out);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("sequence").GetInt64());
        Assert.False(root.GetProperty("queued").GetBoolean());
        Assert.False(root.GetProperty("duplicate").GetBoolean());
        Assert.Equal(0u, root.GetProperty("epoch").GetUInt32());
        Assert.Equal("dialogue-message", root.GetProperty("kind").GetString());
        Assert.Equal("en", root.GetProperty("language").GetString());
        Assert.DoesNotContain("secret", first.Out + second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_FromStandardInputAndFromFile_DeliversTheTextsToTheReader()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var file = Path.Combine(_sdlg.Root, "long.txt");
        var longText = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"Paragraph {i}: é, 中文, العربية."));
        await File.WriteAllTextAsync(file, longText + "\n");

        // Act
        var fromStdin = await _sdlg.RunWithInputAsync("typed on stdin\n", "send", "reviewers", "-", "--review", scenario.ReviewId.ToString(), "--profile", _sdlg.ProfileDirectory("ben"));
        var fromFile = await scenario.RunAsync("ben", "send", "reviewers", "--file", file);
        var read = await scenario.RunAsync("chen", "read", "reviewers", "--json");

        // Assert
        fromStdin.AssertOk();
        fromFile.AssertOk();
        read.AssertOk();
        using var json = JsonDocument.Parse(read.Out);
        Assert.Equal(["typed on stdin", longText], json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()));
        Assert.Contains("中文, العربية", read.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Observer_IsRefused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server, withObserver: true);

        // Act
        var result = await scenario.RunAsync("oscar", "send", "dialogue", "an observer's opinion");
        var reader = await scenario.RunAsync("ben", "read", "dialogue", "--json");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
        Assert.Contains("observers", result.Error, StringComparison.Ordinal);
        reader.AssertOk();
        using var json = JsonDocument.Parse(reader.Out);
        Assert.Empty(json.RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Send_ObserverReads_SeesWhatMembersPosted()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server, withObserver: true);
        (await scenario.RunAsync("ben", "send", "reviewers", "for the GHA team")).AssertOk();

        // Act
        var result = await scenario.RunAsync("oscar", "read", "reviewers", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("for the GHA team", Assert.Single(json.RootElement.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        Assert.False(json.RootElement.GetProperty("canPost").GetBoolean());
    }

    [Fact]
    public async Task Send_Secretariat_IsRefused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act
        var result = await scenario.RunAsync("sam", "send", "dialogue", "from the secretariat");

        // Assert
        result.AssertOneLineError(ExitCodes.Refused);
    }

    [Theory]
    [InlineData("send", "dialogue", "   ")]
    [InlineData("send", "dialogue", "text", "--kind", "gossip")]
    [InlineData("send", "dialogue", "text", "--kind", "document")]
    [InlineData("send", "dialogue", "text", "--language", "not a tag")]
    [InlineData("send", "dialogue", "text", "--file", "/nonexistent/file.txt")]
    public async Task Send_BadInput_IsAUsageErrorBeforeAnyRequest(params string[] args)
    {
        // Act: not signed in, so a request would fail differently
        var result = await _sdlg.RunAsAsync("nobody", args);

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
    }
}
