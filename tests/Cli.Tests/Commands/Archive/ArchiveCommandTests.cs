using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Archive;

/// <summary><c>sdlg read</c> shows each item's archive status; <c>sdlg archive checkpoint</c> verifies and shows the view (real server).</summary>
[Collection(MessagingServerCollection.Name)]
public sealed class ArchiveCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Read_ThenArchiveCheckpoint_ItemsVerifiedInTheArchiveAndTheViewAdvances()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Our answer.")).AssertOk();
        (await scenario.RunAsync("ben", "send", "dialogue", "A question.")).AssertOk();

        // Act
        var read = await scenario.RunAsync("chen", "read", "dialogue", "--json");
        var text = await scenario.RunAsync("chen", "read", "dialogue");
        (await scenario.RunAsync("ana", "send", "dialogue", "One more.")).AssertOk();
        var checkpoint = await scenario.RunAsync("chen", "archive", "checkpoint", "--json");

        // Assert: both items verified by inclusion; the later checkpoint advanced the stored one by consistency.
        read.AssertOk();
        using var items = JsonDocument.Parse(read.Out);
        Assert.All(items.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal("verified", i.GetProperty("archive").GetString()));
        Assert.Contains("verified  [archived]", text.Out, StringComparison.Ordinal);
        checkpoint.AssertOk();
        using var view = JsonDocument.Parse(checkpoint.Out);
        Assert.Equal("advanced", view.RootElement.GetProperty("update").GetString());
        Assert.False(view.RootElement.GetProperty("halted").GetBoolean());
        Assert.Equal(64, view.RootElement.GetProperty("rootHash").GetString()!.Length);
        Assert.StartsWith("securedialogue-archive+", view.RootElement.GetProperty("logKeys")[0].GetString(), StringComparison.Ordinal);
    }
}
