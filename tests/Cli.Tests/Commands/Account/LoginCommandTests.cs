using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Account;

[Collection(MessagingServerCollection.Name)]
public sealed class LoginCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();
    private readonly string _user = "ana-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Login_DevUser_SavesTheSignInOwnerOnlyAndRegistersThisDevice()
    {
        // Arrange
        var card = await _sdlg.InitAsync("ana");

        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user, "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(_user, root.GetProperty("subject").GetString());
        Assert.Equal("development", root.GetProperty("signIn").GetString());
        Assert.False(root.GetProperty("secretariat").GetBoolean());
        Assert.Equal("ok", root.GetProperty("serverStatus").GetString());
        Assert.Equal(card.DeviceId, root.GetProperty("registeredDevice").GetString());
        var device = Assert.Single(root.GetProperty("serverAccount").GetProperty("devices").EnumerateArray());
        Assert.Equal(card.DeviceId, device.GetProperty("deviceId").GetString());
        Assert.True(device.GetProperty("thisDevice").GetBoolean());
        foreach (var file in new[] { "tokens.json", "login.json" })
        {
            if (OperatingSystem.IsWindows())
            {
                break;
            }

            var mode = File.GetUnixFileMode(Path.Combine(_sdlg.ProfileDirectory("ana"), file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
    }

    [Fact]
    public async Task Login_Again_KeepsTheServerAndDoesNotRegisterTheDeviceTwice()
    {
        // Arrange
        await _sdlg.InitAsync("ana");
        (await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user)).AssertOk();

        // Act: no --server this time
        var result = await _sdlg.RunAsAsync("ana", "login", "--dev-user", _user, "--json");

        // Assert
        result.AssertOk();
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(server.BaseAddress.ToString(), json.RootElement.GetProperty("server").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("registeredDevice").ValueKind);
        Assert.Single(json.RootElement.GetProperty("serverAccount").GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task Login_WithoutKeyStore_SignsInAndSaysHowToCreateKeys()
    {
        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user);

        // Assert
        result.AssertOk();
        Assert.Contains("sdlg keys init", result.Error, StringComparison.Ordinal);
        Assert.Contains($"Subject:   {_user}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassphrase_FailsAfterSavingTheSignIn()
    {
        // Arrange
        await _sdlg.InitAsync("ana");
        _sdlg.Environment[Cli.Passphrases.PassphraseSource.EnvironmentVariable] = "not the passphrase";

        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", _user);

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("wrong passphrase", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_sdlg.ProfileDirectory("ana"), "tokens.json")));
    }

    [Fact]
    public async Task Login_BadUserName_IsAUsageError()
    {
        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--dev-user", "no spaces allowed");

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
    }

    [Fact]
    public async Task Login_ServerUnreachable_ExitsWithServerUnreachable()
    {
        // Arrange: a port nothing listens on
        var closed = ClosedPort.Url();

        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", closed, "--dev-user", _user);

        // Assert
        result.AssertOneLineError(ExitCodes.ServerUnreachable);
        Assert.Contains("cannot reach the server", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_sdlg.ProfileDirectory("ana"), "tokens.json")));
    }

    [Fact]
    public async Task Login_IssuerUnreachable_ExitsWithServerUnreachable()
    {
        // Act
        var result = await _sdlg.RunAsAsync("ana", "login", "--server", server.BaseAddress.ToString(), "--issuer", ClosedPort.Url(), "--device-code");

        // Assert
        result.AssertOneLineError(ExitCodes.ServerUnreachable);
        Assert.Contains("identity provider", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("login", "--server", "http://127.0.0.1:1")]
    [InlineData("login", "--server", "http://127.0.0.1:1", "--dev-user", "a", "--issuer", "http://127.0.0.1:2")]
    [InlineData("login", "--server", "http://127.0.0.1:1", "--dev-user", "a", "--browser")]
    [InlineData("login", "--server", "http://127.0.0.1:1", "--issuer", "http://127.0.0.1:2", "--secretariat")]
    [InlineData("login", "--server", "http://127.0.0.1:1", "--issuer", "http://127.0.0.1:2", "--browser", "--device-code")]
    [InlineData("login", "--server", "ftp://example.org", "--dev-user", "a")]
    [InlineData("login", "--dev-user", "a")]
    public async Task Login_ContradictoryOrIncompleteOptions_IsAUsageError(params string[] args)
    {
        // Act
        var result = await _sdlg.RunAsAsync("fresh", args);

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
    }
}
