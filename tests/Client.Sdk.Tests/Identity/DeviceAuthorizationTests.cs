using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>The device authorization grant against the real provider, the test signing in as the person.</summary>
[Collection(OidcProviderCollection.Name)]
public sealed class DeviceAuthorizationTests(OidcProviderFixture fixture)
{
    [Fact]
    public async Task CompleteDeviceAuthorization_PersonSignsInWithUserCode_ReturnsValidatedTokensForTheApi()
    {
        // Arrange
        var client = fixture.CreateClient();
        var started = await client.StartDeviceAuthorizationAsync();
        Assert.True(started.IsSuccess, started.ToString());
        var authorization = started.Value!;
        using var user = new ProviderUser(fixture.Issuer);

        // Act
        var completion = client.CompleteDeviceAuthorizationAsync(authorization);
        var page = await user.SignInWithUserCodeAsync(authorization.VerificationUriComplete!, "ana@under-review", TestOidcProvider.Password);
        var result = await completion;

        // Assert
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sign-in Success", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(result.IsSuccess, result.ToString());
        var tokens = result.Value!;
        Assert.Equal("ana@under-review", tokens.Identity.Subject);
        Assert.Equal("Ana Alves", tokens.Identity.Name);
        Assert.Equal(fixture.Issuer.OriginalString, tokens.Issuer);
        Assert.False(tokens.Identity.IsSecretariat);
        Assert.NotNull(tokens.RefreshToken);
        Assert.NotNull(tokens.IdToken);
        Assert.Equal(authorization.VerificationUri, new Uri(fixture.Issuer, "/device"));
        Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", authorization.UserCode);

        // The access token is a JWT for the SecureDialogue API, bound to the same account.
        var accessToken = new JsonWebToken(tokens.AccessToken);
        Assert.Equal(["securedialogue"], accessToken.Audiences);
        Assert.Equal("ana@under-review", accessToken.Subject);
        Assert.Equal(fixture.Issuer.OriginalString, accessToken.Issuer);
        Assert.InRange(tokens.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddSeconds(500), DateTimeOffset.UtcNow.AddSeconds(610));
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_PersonCancelsAtProvider_ReturnsAccessDenied()
    {
        // Arrange
        var client = fixture.CreateClient();
        var authorization = (await client.StartDeviceAuthorizationAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);

        // Act
        var completion = client.CompleteDeviceAuthorizationAsync(authorization);
        await user.SignInWithUserCodeAsync(authorization.VerificationUriComplete!, "ana@under-review", TestOidcProvider.Password, ProviderUser.Choice.Cancel);
        var result = await completion;

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(IdentityErrorKind.AccessDenied, result.Error.Kind);
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_CodesExpireBeforeSignIn_ReturnsDeviceCodeExpired()
    {
        // Arrange: a provider whose device codes live 2 seconds.
        await using var provider = await TestOidcProvider.StartAsync(new Dictionary<string, string> { ["OIDC_DEVICE_CODE_TTL"] = "2" });
        var client = new OidcClient(new OidcClientOptions { Issuer = provider.Issuer }, fixture.Http);
        var authorization = (await client.StartDeviceAuthorizationAsync()).Value!;

        // Act: nobody signs in.
        var result = await client.CompleteDeviceAuthorizationAsync(authorization);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(IdentityErrorKind.DeviceCodeExpired, result.Error.Kind);
        Assert.Contains("start again", result.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceAuthorization_ToString_ShowsUserCodeButNotDeviceCode()
    {
        // Arrange
        var authorization = new DeviceAuthorization("secret-device-code", "ABCD-EFGH", new Uri("https://op.example/device"), null, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5));

        // Act
        var text = authorization.ToString();

        // Assert
        Assert.Contains("ABCD-EFGH", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-device-code", text, StringComparison.Ordinal);
    }
}
