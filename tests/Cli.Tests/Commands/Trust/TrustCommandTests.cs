using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Trust;

/// <summary><c>reviews focal-point</c>, <c>certify</c>, <c>revoke</c> and <c>members</c> against the real server.</summary>
[Collection(MessagingServerCollection.Name)]
public sealed class TrustCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task FocalPointRegisteredCertifiesAnExpertThenRevokesHer_MembersShowsEachStep()
    {
        // Arrange: the secretariat replaces NAM's focal point with fay; dora (an expert of NAM) has keys and a sign-in
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        await scenario.SignInAsync(server, "fay");
        await scenario.SignInAsync(server, "dora");
        var dora = await scenario.DeviceIdAsync("dora");

        // Act
        var byExpert = await scenario.RunAsync("ben", "reviews", "focal-point", "--state", "NAM", "--user", scenario.User("fay"), "--nomination", "NV/NAM/1");
        var registered = await scenario.RunAsync("sam", "reviews", "focal-point", "--state", "NAM", "--user", scenario.User("fay"), "--nomination", "NV/NAM/1", "--json");
        (await scenario.RunAsync("fay", "members")).AssertOk();
        var noTerminal = await scenario.RunAsync("fay", "certify", dora);
        var replacedFocalPoint = await scenario.RunAsync("ana", "certify", dora, "--yes");
        var certified = await scenario.RunAsync("fay", "certify", dora, "--role", "observer", "--yes", "--reference", "NV/NAM/2", "--json");
        var afterCertify = await scenario.RunAsync("fay", "members", "--json");
        var revoked = await scenario.RunAsync("fay", "revoke", dora, "--reason", "removed", "--json");
        var afterRevoke = await scenario.RunAsync("fay", "members", "--json");

        // Assert
        byExpert.AssertOneLineError(ExitCodes.Refused);
        registered.AssertOk();
        Assert.Equal("NV/NAM/1", JsonDocument.Parse(registered.Out).RootElement.GetProperty("nomination").GetString());
        noTerminal.AssertOneLineError(ExitCodes.Usage);
        replacedFocalPoint.AssertOneLineError(ExitCodes.Refused);
        certified.AssertOk();
        Assert.Equal("observer", JsonDocument.Parse(certified.Out).RootElement.GetProperty("role").GetString());
        afterCertify.AssertOk();
        var device = Device(afterCertify.Out, dora);
        Assert.Equal(("certified", "observer", scenario.User("fay"), "NV/NAM/2"),
            (device.GetProperty("trust").GetString(), device.GetProperty("role").GetString(), device.GetProperty("certifiedBy").GetString(), device.GetProperty("reference").GetString()));
        revoked.AssertOk();
        afterRevoke.AssertOk();
        Assert.DoesNotContain(JsonDocument.Parse(afterRevoke.Out).RootElement.GetProperty("members").EnumerateArray(), m => m.GetProperty("name").GetString() == scenario.User("dora"));
        Assert.DoesNotContain(JsonDocument.Parse(afterRevoke.Out).RootElement.GetProperty("members").EnumerateArray(), m => m.GetProperty("name").GetString() == scenario.User("ana"));
    }

    private static JsonElement Device(string json, string deviceId) =>
        JsonDocument.Parse(json).RootElement.GetProperty("members").EnumerateArray().SelectMany(m => m.GetProperty("devices").EnumerateArray())
            .Single(d => d.GetProperty("deviceId").GetString() == deviceId);
}
