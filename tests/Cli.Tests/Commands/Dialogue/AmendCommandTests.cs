using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Dialogue;

/// <summary><c>sdlg send --corrects</c> and <c>sdlg retract</c> against the real server, and the markers <c>sdlg read</c> shows.</summary>
[Collection(MessagingServerCollection.Name)]
public sealed class AmendCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task SendCorrectsAndRetract_Author_ReadersSeeMarkersInTextAndJson()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Teh first answer")).AssertOk();
        (await scenario.RunAsync("ana", "send", "dialogue", "A remark to withdraw")).AssertOk();

        // Act
        var corrected = await scenario.RunAsync("ana", "send", "dialogue", "The first answer", "--corrects", "dialogue:1", "--json");
        var retracted = await scenario.RunAsync("ana", "retract", "dialogue:2");
        var json = await scenario.RunAsync("ben", "read", "dialogue", "--json");
        var text = await scenario.RunAsync("ben", "read", "dialogue");

        // Assert
        corrected.AssertOk();
        using (var amended = JsonDocument.Parse(corrected.Out))
        {
            Assert.Equal(("correct", 1L, 3L), (amended.RootElement.GetProperty("action").GetString(), amended.RootElement.GetProperty("item").GetInt64(),
                amended.RootElement.GetProperty("replacement").GetInt64()));
        }

        retracted.AssertOk();
        Assert.Contains("Retracted dialogue:2", retracted.Out, StringComparison.Ordinal);
        json.AssertOk();
        using var read = JsonDocument.Parse(json.Out);
        var items = read.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(3, items[0].GetProperty("correctedBy").GetInt64());
        Assert.True(items[1].TryGetProperty("retractedAt", out var at) && at.ValueKind == JsonValueKind.String);
        Assert.Equal(1, items[2].GetProperty("corrects").GetInt64());
        Assert.Equal("Teh first answer", items[0].GetProperty("text").GetString());
        text.AssertOk();
        Assert.Contains("[CORRECTED by #3]", text.Out, StringComparison.Ordinal);
        Assert.Contains("[RETRACTED at ", text.Out, StringComparison.Ordinal);
        Assert.Contains("(corrects #1)", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetractAndCorrect_AnotherMembersItemOrTwice_Refused()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Ana's item")).AssertOk();

        // Act
        var byBen = await scenario.RunAsync("ben", "retract", "dialogue:1");
        var correctByBen = await scenario.RunAsync("ben", "send", "dialogue", "Ben rewrites Ana", "--corrects", "dialogue:1");
        var first = await scenario.RunAsync("ana", "retract", "dialogue:1");
        var second = await scenario.RunAsync("ana", "retract", "dialogue:1");
        var badItem = await scenario.RunAsync("ana", "retract", "dialogue");
        var otherChannel = await scenario.RunAsync("ana", "send", "dialogue", "x", "--corrects", "reviewers:1");

        // Assert
        byBen.AssertOneLineError(ExitCodes.Refused);
        Assert.Contains("only its sender's device", byBen.Error, StringComparison.Ordinal);
        correctByBen.AssertOneLineError(ExitCodes.Refused);
        first.AssertOk();
        second.AssertOneLineError(ExitCodes.Refused);
        badItem.AssertOneLineError(ExitCodes.Usage);
        otherChannel.AssertOneLineError(ExitCodes.Usage);
    }
}
