using System.Text;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;

namespace SecureDialogue.Client.Tests.Profile;

public sealed class ProfileStateTests : IAsyncLifetime
{
    private const string Marker = "plaintext-marker-5e1c";
    private DialogueFixture _f = null!;

    public async Task InitializeAsync() => _f = await DialogueFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task SendAsync_AfterRestartAndLostState_NeverReusesACounter()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await ana.SendAsync("two");

        // Act: restart, lose the channel state; then restart and lose the counter file too.
        var second = await _f.Ana.RestartAsync(_f.Server);
        DeleteAll(_f.Ana.Profile, "channel.json");
        var afterStateLoss = await (await second.OpenAsync(_f.ReviewId)).SendAsync("three");
        await using var third = await second.RestartAsync(_f.Server);
        DeleteAll(_f.Ana.Profile, "channel.json");
        DeleteAll(_f.Ana.Profile, "counter.json");
        var afterCounterLoss = await (await third.OpenAsync(_f.ReviewId)).SendAsync("four");

        // Assert: counters continue from the saved counter, then from the history.
        Assert.Equal(3UL, afterStateLoss.Value!.Counter);
        Assert.Equal(4UL, afterCounterLoss.Value!.Counter);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], _f.Server.Items(_f.ReviewId, "dialogue").Select(i => ScriptableServer.HeaderOf(i).Counter));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ProfileFiles_AfterSendReadAndQueue_AreOwnerOnlyAndHoldNoPlaintext()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync(Marker + " sent");
        await Participant.ReadAllAsync(ben);
        _f.Server.Script.Unavailable = true;
        await ana.SendAsync(Marker + " queued");

        // Act
        var files = Directory.GetFiles(_f.Ana.Profile, "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(_f.Ben.Profile, "*", SearchOption.AllDirectories)).ToList();

        // Assert
        Assert.Contains(files, f => f.EndsWith(".env", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("pins.json", StringComparison.Ordinal));
        Assert.All(files.Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)), file =>
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.DoesNotContain(Marker, Encoding.UTF8.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        });
        Assert.All(Directory.GetDirectories(Path.Combine(_f.Ana.Profile, "state"), "*", SearchOption.AllDirectories),
            d => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(d)));
    }

    [Fact]
    public async Task OpenChannelAsync_SavedRecordTampered_RebuiltFromServerAndReported()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await ana.SendAsync("before");
        var restarted = await _f.Ana.RestartAsync(_f.Server);
        var path = Directory.GetFiles(_f.Ana.Profile, "channel.json", SearchOption.AllDirectories).Single();
        var json = await File.ReadAllTextAsync(path);
        var record = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("epochs")[0].GetProperty("record").GetString()!;
        var bytes = Convert.FromBase64String(record);
        bytes[^1] ^= 0x01;
        await File.WriteAllTextAsync(path, json.Replace(record, Convert.ToBase64String(bytes), StringComparison.Ordinal));

        // Act
        await using var _ = restarted;
        var reopened = await restarted.OpenAsync(_f.ReviewId);
        var items = await Participant.ReadAllAsync(reopened);

        // Assert
        Assert.Contains(reopened.Alerts, a => a.Kind == ChannelAlertKind.StateRebuilt);
        Assert.Equal(0u, reopened.CurrentEpoch);
        Assert.Equal("before", Assert.Single(items).Text);
    }

    private static void DeleteAll(string directory, string name)
    {
        foreach (var file in Directory.GetFiles(directory, name, SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
    }
}
