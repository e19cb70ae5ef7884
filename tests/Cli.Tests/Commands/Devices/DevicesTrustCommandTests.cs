using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Devices;

[Collection(MessagingServerCollection.Name)]
public sealed class DevicesTrustCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Trust_NewDeviceOfAPinnedMember_IsAlertedUntilTrustedThenGetsTheKeys()
    {
        // Arrange: ben pins ana's first device, then ana signs in on a second device
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "from the first device")).AssertOk();
        (await scenario.RunAsync("ben", "read", "dialogue")).AssertOk();
        await scenario.SignInAsync(server, "ana", profile: "ana-laptop");
        var laptop = DeviceCardJson.Parse((await _sdlg.RunAsAsync("ana-laptop", "keys", "show", "--json")).AssertOk().Out);

        // Act 1: ben's view of the review
        var shown = await _sdlg.RunAsAsync("ben", "reviews", "show", "--json");
        var beforeTrust = await scenario.RunAsync("ana-laptop", "read", "dialogue", "--json");

        // Assert 1: an alert with a safety number; the new device cannot read yet
        shown.AssertOk();
        using var review = JsonDocument.Parse(shown.Out);
        var alert = Assert.Single(review.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("unverified-device", alert.GetProperty("kind").GetString());
        Assert.Equal(laptop.DeviceId, alert.GetProperty("deviceId").GetString());
        var safetyNumber = alert.GetProperty("safetyNumber").GetString()!;
        beforeTrust.AssertOk();
        using var unreadable = JsonDocument.Parse(beforeTrust.Out);
        Assert.All(unreadable.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("text").ValueKind));

        // Act 2: a wrong safety number is refused; the right one trusts the device and ben's client adds it to a new epoch
        var wrong = await scenario.RunAsync("ben", "devices", "trust", laptop.DeviceId, "--safety-number", "12345");
        var trusted = await scenario.RunAsync("ben", "devices", "trust", laptop.DeviceId[..12], "--safety-number", safetyNumber, "--json");

        // Assert 2
        wrong.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("does not match", wrong.Error, StringComparison.Ordinal);
        trusted.AssertOk();
        using var trust = JsonDocument.Parse(trusted.Out);
        var dialogue = Assert.Single(trust.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal(1u, dialogue.GetProperty("currentEpoch").GetUInt32());
        Assert.True(dialogue.GetProperty("includesDevice").GetBoolean());

        // Act 3 + Assert 3: the laptop trusts ana's first device (its own account's, not pinned by it) and reads the history
        var firstDevice = Assert.Single(JsonDocument.Parse((await _sdlg.RunAsAsync("ana", "whoami", "--json")).AssertOk().Out)
            .RootElement.GetProperty("serverAccount").GetProperty("devices").EnumerateArray(), d => d.GetProperty("thisDevice").GetBoolean()).GetProperty("deviceId").GetString()!;
        (await scenario.RunAsync("ana-laptop", "devices", "trust", firstDevice)).AssertOk();
        var afterTrust = await scenario.RunAsync("ana-laptop", "read", "dialogue", "--json");
        afterTrust.AssertOk();
        using var readable = JsonDocument.Parse(afterTrust.Out);
        Assert.Equal("from the first device", Assert.Single(readable.RootElement.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Trust_UnknownDevice_Fails()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);

        // Act
        var result = await scenario.RunAsync("ben", "devices", "trust", "0123456789abcdef0123456789abcdef");

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("no unverified device", result.Error, StringComparison.Ordinal);
    }
}
