using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Dialogue;

[Collection(MessagingServerCollection.Name)]
public sealed class WatchCommandTests(MessagingServer server) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Watch_Json_StreamsHistoryThenNewItemsAsNdjsonUntilCancelled()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "before the watch")).AssertOk();
        using var stop = new CancellationTokenSource();
        var watch = _sdlg.Start(stop.Token, "watch", "dialogue", "--since", "0", "--json", "--review", scenario.ReviewId.ToString(), "--profile", _sdlg.ProfileDirectory("ben"));
        await watch.WaitForOutputAsync(o => o.Contains("before the watch", StringComparison.Ordinal), Patience);

        // Act: the hub rings the watcher's bell when the item is stored
        (await scenario.RunAsync("ana", "send", "dialogue", "while watching", "--kind", "clarification")).AssertOk();
        await watch.WaitForOutputAsync(o => o.Contains("while watching", StringComparison.Ordinal), Patience);
        await stop.CancelAsync();
        var exitCode = await watch.Exit.WaitAsync(Patience);

        // Assert
        Assert.Equal(ExitCodes.Ok, exitCode);
        var lines = watch.Out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == "item").ToList();
        Assert.Equal(["before the watch", "while watching"], items.Select(i => i.GetProperty("text").GetString()));
        Assert.Equal([1L, 2L], items.Select(i => i.GetProperty("sequence").GetInt64()));
        Assert.Equal("clarification", items[1].GetProperty("kind").GetString());
        Assert.Contains("Ctrl-C", watch.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Text_DefaultStartsAfterWhatThisProfileHasSeen()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ben", "send", "reviewers", "old news")).AssertOk();
        (await scenario.RunAsync("chen", "read", "reviewers")).AssertOk();
        using var stop = new CancellationTokenSource();
        var watch = _sdlg.Start(stop.Token, "watch", "reviewers", "--review", scenario.ReviewId.ToString(), "--profile", _sdlg.ProfileDirectory("chen"));
        await watch.WaitForOutputAsync(_ => watch.Error.ToString().Contains("Ctrl-C", StringComparison.Ordinal), Patience);

        // Act
        (await scenario.RunAsync("ben", "send", "reviewers", "fresh news")).AssertOk();
        await watch.WaitForOutputAsync(o => o.Contains("fresh news", StringComparison.Ordinal), Patience);
        await stop.CancelAsync();
        var exitCode = await watch.Exit.WaitAsync(Patience);

        // Assert
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.DoesNotContain("old news", watch.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains($"#2  ", watch.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{scenario.User("ben")} (GHA)", watch.Out.ToString(), StringComparison.Ordinal);
    }
}
