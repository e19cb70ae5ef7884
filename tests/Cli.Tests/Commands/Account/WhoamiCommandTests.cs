using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Account;

[Collection(MessagingServerCollection.Name)]
public sealed class WhoamiCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();
    private readonly string _user = "sam-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Whoami_NotSignedIn_ExitsWithNotSignedIn()
    {
        // Act
        var result = await _sdlg.RunAsAsync("nobody", "whoami", "--json");

        // Assert
        result.AssertOneLineError(ExitCodes.NotSignedIn);
        Assert.Contains("sdlg login", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Whoami_Secretariat_ShowsAccountIssuerSubjectRoleAndExpiry()
    {
        // Arrange
        await _sdlg.InitAsync("sam");
        (await _sdlg.RunAsAsync("sam", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user, "--secretariat")).AssertOk();

        // Act
        var result = await _sdlg.RunAsAsync("sam", "whoami", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(_user, root.GetProperty("subject").GetString());
        Assert.EndsWith("/dev", root.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("secretariat").GetBoolean());
        Assert.Contains("secretariat", root.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var expires = root.GetProperty("tokenExpiresAt").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal("ok", root.GetProperty("serverStatus").GetString());
        Assert.True(root.GetProperty("serverAccount").GetProperty("secretariat").GetBoolean());
    }

    [Fact]
    public async Task Whoami_ServerGone_ShowsTheLocalSignInAndSaysTheServerIsUnreachable()
    {
        // Arrange: a sign-in whose server moved away
        await _sdlg.InitAsync("sam");
        (await _sdlg.RunAsAsync("sam", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user)).AssertOk();
        var login = Path.Combine(_sdlg.ProfileDirectory("sam"), "login.json");
        File.WriteAllText(login, File.ReadAllText(login).Replace(server.BaseAddress.ToString(), ClosedPort.Url(), StringComparison.Ordinal));

        // Act
        var result = await _sdlg.RunAsAsync("sam", "whoami", "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("unreachable", json.RootElement.GetProperty("serverStatus").GetString());
        Assert.Equal(_user, json.RootElement.GetProperty("subject").GetString());
        Assert.Contains("cannot reach the server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_ServerRefusesTheToken_ExitsWithNotSignedIn()
    {
        // Arrange: a token from this server, shown to another server (another data directory: another signing key)
        await _sdlg.InitAsync("sam");
        (await _sdlg.RunAsAsync("sam", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user)).AssertOk();
        await using var other = new MessagingServer();
        await other.InitializeAsync();
        var login = Path.Combine(_sdlg.ProfileDirectory("sam"), "login.json");
        File.WriteAllText(login, File.ReadAllText(login).Replace(server.BaseAddress.ToString(), other.BaseAddress.ToString(), StringComparison.Ordinal));

        // Act
        var result = await _sdlg.RunAsAsync("sam", "whoami");

        // Assert
        Assert.Equal(ExitCodes.NotSignedIn, result.ExitCode);
        Assert.Contains("refused the sign-in", result.Error, StringComparison.Ordinal);
        Assert.Contains("(refused)", result.Out, StringComparison.Ordinal);
    }
}
