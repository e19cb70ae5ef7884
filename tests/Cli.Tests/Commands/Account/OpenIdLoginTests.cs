using System.Text.Json;
using System.Text.RegularExpressions;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Account;

/// <summary>
/// <c>sdlg login --issuer</c> against the real development OpenID provider (npm oidc-provider). The embedded server
/// trusts only its own development issuer, so it refuses these tokens: the sign-in is saved, and the server's refusal
/// is reported with exit 5 (the full path through a production server is covered by the SDK's and the server's tests).
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed partial class OpenIdLoginTests(MessagingServer server) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly SdlgHarness _sdlg = new();
    private readonly OidcProvider _provider = new();

    public Task InitializeAsync() => _provider.InitializeAsync();

    public Task DisposeAsync() => _provider.DisposeAsync();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Login_IssuerDeviceCode_PrintsTheCodeAndSavesRefreshableTokensOfThatAccount()
    {
        // Arrange
        using var stop = new CancellationTokenSource(Patience);
        var login = _sdlg.Start(stop.Token, "login", "--server", server.BaseAddress.ToString(), "--issuer", _provider.Issuer.ToString(),
            "--profile", _sdlg.ProfileDirectory("ben"));
        await login.WaitForOutputAsync(_ => login.Error.ToString().Contains("or open", StringComparison.Ordinal), Patience);
        var complete = new Uri(CompleteUri().Match(login.Error.ToString()).Groups[1].Value);

        // Act: the person enters the code at the provider
        using (var person = new ProviderUser(_provider.Issuer))
        {
            await person.SignInWithUserCodeAsync(complete, "ben@reviewing-a");
        }

        var exitCode = await login.Exit.WaitAsync(Patience);
        var whoami = await _sdlg.RunAsAsync("ben", "whoami", "--json");
        var logout = await _sdlg.RunAsAsync("ben", "logout", "--json");

        // Assert
        Assert.Contains("enter the code", login.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotSignedIn, exitCode);
        Assert.Contains("the server refused the sign-in", login.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotSignedIn, whoami.ExitCode);
        using var json = JsonDocument.Parse(whoami.Out);
        var root = json.RootElement;
        Assert.Equal("openid-connect", root.GetProperty("signIn").GetString());
        Assert.Equal("ben@reviewing-a", root.GetProperty("subject").GetString());
        Assert.Equal("Ben Brandt", root.GetProperty("account").GetString());
        Assert.Equal(_provider.Issuer.ToString().TrimEnd('/'), root.GetProperty("issuer").GetString()!.TrimEnd('/'));
        Assert.True(root.GetProperty("canRefresh").GetBoolean());
        Assert.Equal("refused", root.GetProperty("serverStatus").GetString());
        logout.AssertOk();
        using var signedOut = JsonDocument.Parse(logout.Out);
        Assert.True(signedOut.RootElement.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task Login_IssuerBrowser_PrintsTheUrlToOpenAndSignsInWhenTheBrowserComesBack()
    {
        // Arrange
        using var stop = new CancellationTokenSource(Patience);
        var login = _sdlg.Start(stop.Token, "login", "--server", server.BaseAddress.ToString(), "--issuer", _provider.Issuer.ToString(), "--browser",
            "--profile", _sdlg.ProfileDirectory("sam"));
        await login.WaitForOutputAsync(_ => login.Error.ToString().Contains("Waiting for the browser", StringComparison.Ordinal), Patience);
        var authorization = new Uri(AuthorizationUri().Match(login.Error.ToString()).Groups[1].Value);

        // Act
        using (var person = new ProviderUser(_provider.Issuer))
        {
            var landing = await person.SignInThroughBrowserAsync(authorization, "sam@secretariat");
            Assert.True(landing.IsSuccessStatusCode, $"{landing.StatusCode} {landing.RequestMessage?.RequestUri}: {await landing.Content.ReadAsStringAsync()}\n{login.Error}");
        }

        var exitCode = await login.Exit.WaitAsync(Patience);
        Assert.True(exitCode == ExitCodes.NotSignedIn, $"exit {exitCode}: {login.Error}");
        var whoami = await _sdlg.RunAsAsync("sam", "whoami", "--json");

        // Assert
        using var json = JsonDocument.Parse(whoami.Out);
        Assert.Equal("sam@secretariat", json.RootElement.GetProperty("subject").GetString());
        Assert.True(json.RootElement.GetProperty("secretariat").GetBoolean());
        Assert.StartsWith(_provider.Issuer.GetLeftPart(UriPartial.Authority), authorization.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\(or open (\S+)\)")]
    private static partial Regex CompleteUri();

    [GeneratedRegex(@"browser on this machine:\s+(\S+)")]
    private static partial Regex AuthorizationUri();
}
