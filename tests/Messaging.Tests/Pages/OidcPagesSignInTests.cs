using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using SecureDialogue.Messaging.Tests.Identity.Support;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Pages;

/// <summary>
/// The pages' OpenID Connect sign-in against the real development provider (npm oidc-provider, scripts/oidc) in a
/// real browser: authorization code flow with PKCE through the framework's OAuth handler, the provider's own login and
/// consent pages, id_token validation, then the page session. The secretariat role comes from the id_token.
/// </summary>
public sealed class OidcPagesSignInTests : IAsyncLifetime
{
    private OidcProviderProcess _provider = null!;
    private MessagingHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        // The provider must know the callback before the server starts: reserve the server's port first.
        var port = FreePort();
        var callback = $"http://127.0.0.1:{port}/signin-oidc";
        _provider = await OidcProviderProcess.StartAsync(new Dictionary<string, string> { ["OIDC_WEB_REDIRECT_URIS"] = callback });
        _host = await MessagingHost.StartAsync(Engine.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Identity:Web:ClientId"] = "securedialogue-web",
            ["Identity:Web:ClientSecret"] = "securedialogue-web-development-secret",
            ["Identity:Web:Authority"] = _provider.Issuer.ToString().TrimEnd('/'),
            ["Identity:Web:RequireHttpsMetadata"] = "false",
        }, port: port);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task SignIn_SecretariatAtTheRealProvider_OpensTheDashboard()
    {
        // Arrange
        var page = await _browser.NewPageAsync();

        // Act: the sign-in page's link, the provider's login and consent pages, back to the server.
        await SignInAsync(page, "sam@secretariat");

        // Assert: signed in under the provider's name for the account, with the secretariat's navigation.
        Assert.EndsWith("/secretariat", page.Url, StringComparison.Ordinal);
        var html = await page.ContentAsync();
        Assert.Contains("Sam Sato", html, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("a[href='/secretariat/status']").CountAsync());
        var status = await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat/status").ToString());
        Assert.Equal(200, status!.Status);
    }

    [Fact]
    public async Task SignIn_AccountWithoutTheSecretariatRole_IsRefused()
    {
        // Arrange
        var page = await _browser.NewPageAsync();

        // Act
        await SignInAsync(page, "ana@under-review");
        var response = await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat").ToString());

        // Assert
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#reviews").CountAsync());
    }

    [Fact]
    public async Task Callback_ForgedWithoutTheFlowsState_DoesNotSignIn()
    {
        // Act: a callback that did not start here (no correlation cookie, unprotected state) is refused.
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/signin-oidc?code=forged&state=forged").ToString());
        var dashboard = await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat").ToString());

        // Assert
        Assert.EndsWith("/secretariat/sign-in", page.Url, StringComparison.Ordinal);
        Assert.Equal(200, dashboard!.Status);
        Assert.Equal(0, await page.Locator("#reviews").CountAsync());
    }

    private async Task SignInAsync(IPage page, string login)
    {
        await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat/sign-in").ToString());
        await page.ClickAsync("#oidc-sign-in");
        await page.WaitForSelectorAsync("form[data-prompt=login]");
        await page.FillAsync("input[name=login]", login);
        await page.FillAsync("input[name=password]", OidcProviderProcess.Password);
        await page.ClickAsync("form[data-prompt=login] button[type=submit]");
        await page.WaitForSelectorAsync("form[data-prompt=consent]");
        await page.ClickAsync("form[data-prompt=consent] button[type=submit]");
        await page.WaitForURLAsync(url => url.StartsWith(_host.BaseAddress.ToString().TrimEnd('/') + "/secretariat", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
