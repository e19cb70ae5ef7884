using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>Authorization code with PKCE and the loopback redirect against the real provider.</summary>
[Collection(OidcProviderCollection.Name)]
public sealed class BrowserSignInTests(OidcProviderFixture fixture)
{
    [Fact]
    public async Task StartBrowserSignIn_Always_SendsS256ChallengeStateNonceAndLoopbackRedirect()
    {
        // Arrange
        var client = fixture.CreateClient();

        // Act
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;

        // Assert
        var query = QueryHelpers.ParseQuery(signIn.AuthorizationUri.Query);
        Assert.Equal(new Uri(fixture.Issuer, "/auth").AbsoluteUri, signIn.AuthorizationUri.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("sdlg-cli", query["client_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.True(query["state"].ToString().Length >= 43);
        Assert.True(query["nonce"].ToString().Length >= 43);
        Assert.NotEqual(query["state"], query["nonce"]);
        var redirect = new Uri(query["redirect_uri"]!);
        Assert.Equal(signIn.RedirectUri, redirect);
        Assert.Equal("127.0.0.1", redirect.Host);
        Assert.NotEqual(0, redirect.Port);
        Assert.Equal("/callback", redirect.AbsolutePath);
    }

    [Fact]
    public async Task CompleteBrowserSignIn_PersonSignsIn_RedirectReachesLoopbackAndIdTokenIsValidated()
    {
        // Arrange
        var client = fixture.CreateClient();
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);

        // Act
        var completion = client.CompleteBrowserSignInAsync(signIn);
        var landing = await user.SignInThroughBrowserAsync(signIn.AuthorizationUri, "sam@secretariat", TestOidcProvider.Password);
        var result = await completion;

        // Assert
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal(signIn.RedirectUri.Authority, landing.RequestMessage!.RequestUri!.Authority);
        Assert.Contains("Signed in", await landing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("sam@secretariat", result.Value!.Identity.Subject);
        Assert.Equal("Sam Sato", result.Value.Identity.DisplayName);
        Assert.True(result.Value.Identity.IsSecretariat);
        Assert.Equal(["secretariat"], result.Value.Identity.Roles);
        Assert.NotNull(result.Value.RefreshToken);
    }

    [Fact]
    public async Task CompleteBrowserSignIn_ForgedCallbackWithoutTheState_IsRefusedAndTheRealOneStillCompletes()
    {
        // Arrange
        var client = fixture.CreateClient();
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);
        using var attacker = new HttpClient();
        var completion = client.CompleteBrowserSignInAsync(signIn);

        // Act: another local process calls the listener first, with its own code.
        var forged = await attacker.GetAsync(new Uri(signIn.RedirectUri, "?code=attacker-code&state=guessed"));
        var otherPath = await attacker.GetAsync(new Uri(signIn.RedirectUri, "/other?code=attacker-code"));
        var landing = await user.SignInThroughBrowserAsync(signIn.AuthorizationUri, "ben@reviewing-a", TestOidcProvider.Password);
        var result = await completion;

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherPath.StatusCode);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("ben@reviewing-a", result.Value!.Identity.Subject);
    }

    [Fact]
    public async Task CompleteBrowserSignIn_PersonCancels_ReturnsAccessDenied()
    {
        // Arrange
        var client = fixture.CreateClient();
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);

        // Act
        var completion = client.CompleteBrowserSignInAsync(signIn);
        await user.SignInThroughBrowserAsync(signIn.AuthorizationUri, "ana@under-review", TestOidcProvider.Password, ProviderUser.Choice.Cancel);
        var result = await completion;

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(IdentityErrorKind.AccessDenied, result.Error.Kind);
    }

    [Fact]
    public async Task CompleteBrowserSignIn_NoBrowserComesBack_TimesOutAndStopsListening()
    {
        // Arrange
        var client = fixture.CreateClient(configure: o => o with { BrowserSignInTimeout = TimeSpan.FromMilliseconds(300) });
        var signIn = (await client.StartBrowserSignInAsync()).Value!;

        // Act
        var result = await client.CompleteBrowserSignInAsync(signIn);

        // Assert
        Assert.Equal(IdentityErrorKind.SignInTimedOut, result.Error.Kind);
        using var late = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => late.GetAsync(signIn.RedirectUri));
    }

    [Fact]
    public async Task Login_WrongPassword_IsRefusedByTheProvider()
    {
        // Arrange
        var client = fixture.CreateClient();
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);
        var interaction = await user.OpenUntilInteractionAsync(signIn.AuthorizationUri);

        // Act
        var wrongPassword = await user.PostLoginAsync(interaction, "ana@under-review", "not-the-password");
        var unknownAccount = await user.PostLoginAsync(interaction, "mallory@nowhere", TestOidcProvider.Password);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownAccount.StatusCode);
    }
}
