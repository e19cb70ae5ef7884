using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Devices;

[Collection(MessagingServerCollection.Name)]
public sealed class DevicesTrustCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task NewDeviceOfAMember_AlertedAndKeyless_UntilTheFocalPointCertifiesIt_TrustingItLocallyIsNotEnough()
    {
        // Arrange: ana (NAM's focal point) posts from her first device, then signs in on a laptop
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "from the first device")).AssertOk();
        (await scenario.RunAsync("ben", "read", "dialogue")).AssertOk();
        await scenario.SignInAsync(server, "ana", profile: "ana-laptop");
        var laptop = DeviceCardJson.Parse((await _sdlg.RunAsAsync("ana-laptop", "keys", "show", "--json")).AssertOk().Out);

        // Act 1: ben's view of the members; ben trusts the laptop locally after comparing the safety number
        var beforeTrust = await scenario.RunAsync("ana-laptop", "read", "dialogue", "--json");
        var members = await scenario.RunAsync("ben", "members", "--json");
        var wrong = await scenario.RunAsync("ben", "devices", "trust", laptop.DeviceId, "--safety-number", "12345");
        var trusted = await scenario.RunAsync("ben", "devices", "trust", laptop.DeviceId[..12], "--json");

        // Assert 1: uncertified, keyless, and a local trust does not give it keys
        beforeTrust.AssertOk();
        using (var unreadable = JsonDocument.Parse(beforeTrust.Out))
        {
            Assert.All(unreadable.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("text").ValueKind));
        }

        members.AssertOk();
        using (var listing = JsonDocument.Parse(members.Out))
        {
            var device = listing.RootElement.GetProperty("members").EnumerateArray().SelectMany(m => m.GetProperty("devices").EnumerateArray())
                .Single(d => d.GetProperty("deviceId").GetString() == laptop.DeviceId);
            Assert.Equal("unverified", device.GetProperty("trust").GetString());
        }

        wrong.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("does not match", wrong.Error, StringComparison.Ordinal);
        trusted.AssertOk();
        using (var trust = JsonDocument.Parse(trusted.Out))
        {
            Assert.False(Assert.Single(trust.RootElement.GetProperty("channels").EnumerateArray()).GetProperty("includesDevice").GetBoolean());
        }

        // Act 2: ana certifies her laptop from her first device (a wrong fingerprint first); ben's client then rotates it in
        var badFingerprint = await scenario.RunAsync("ana", "certify", laptop.DeviceId, "--role", "focal-point", "--fingerprint", "00000");
        var certified = await scenario.RunAsync("ana", "certify", laptop.DeviceId, "--role", "focal-point", "--fingerprint", laptop.Fingerprint, "--json");
        (await scenario.RunAsync("ben", "read", "dialogue")).AssertOk();
        var afterCertification = await scenario.RunAsync("ana-laptop", "read", "dialogue", "--json");

        // Assert 2
        badFingerprint.AssertOneLineError(ExitCodes.Failed);
        certified.AssertOk();
        Assert.Equal("focal-point", JsonDocument.Parse(certified.Out).RootElement.GetProperty("role").GetString());
        afterCertification.AssertOk();
        using var readable = JsonDocument.Parse(afterCertification.Out);
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
