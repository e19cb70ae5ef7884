using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Account;

[Collection(MessagingServerCollection.Name)]
public sealed class LogoutCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Logout_SignedIn_DeletesTheTokensSoCommandsNeedANewSignIn()
    {
        // Arrange
        await _sdlg.InitAsync("ana");
        (await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", "ana-" + Guid.NewGuid().ToString("N")[..8])).AssertOk();

        // Act
        var logout = await _sdlg.RunAsAsync("ana", "logout", "--json");
        var afterwards = await _sdlg.RunAsAsync("ana", "reviews", "list");

        // Assert
        logout.AssertOk();
        using var json = JsonDocument.Parse(logout.Out);
        Assert.True(json.RootElement.GetProperty("wasSignedIn").GetBoolean());
        Assert.False(File.Exists(Path.Combine(_sdlg.ProfileDirectory("ana"), "tokens.json")));
        Assert.True(File.Exists(_sdlg.KeyStorePath("ana")));
        afterwards.AssertOneLineError(ExitCodes.NotSignedIn);
    }

    [Fact]
    public async Task Logout_NotSignedIn_IsNotAnError()
    {
        // Act
        var result = await _sdlg.RunAsAsync("nobody", "logout");

        // Assert
        result.AssertOk();
        Assert.Contains("Not signed in", result.Out, StringComparison.Ordinal);
    }
}
