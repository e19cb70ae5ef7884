using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>Refresh, the access token source, and sign-out against the real provider.</summary>
[Collection(OidcProviderCollection.Name)]
public sealed class RefreshTests(OidcProviderFixture fixture) : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("sdlg-profile-").FullName;

    public void Dispose() => Directory.Delete(_profile, recursive: true);

    [Fact]
    public async Task RefreshAsync_ValidRefreshToken_ReturnsNewAccessTokenAndRotatedRefreshTokenForTheSameAccount()
    {
        // Arrange
        var client = fixture.CreateClient();
        var tokens = await fixture.SignInAsync(client, "ana@under-review");

        // Act
        var result = await client.RefreshAsync(tokens);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        var refreshed = result.Value!;
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.NotNull(refreshed.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(tokens.Identity.Subject, refreshed.Identity.Subject);
        Assert.Equal(tokens.Issuer, refreshed.Issuer);
    }

    [Fact]
    public async Task RefreshAsync_ReusedRotatedRefreshToken_ReturnsRefreshRejected()
    {
        // Arrange
        var client = fixture.CreateClient();
        var tokens = await fixture.SignInAsync(client, "ana@under-review");
        Assert.True((await client.RefreshAsync(tokens)).IsSuccess);

        // Act: the old refresh token again (what a thief holding a copy would send).
        var result = await client.RefreshAsync(tokens);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(IdentityErrorKind.RefreshRejected, result.Error.Kind);
    }

    [Fact]
    public async Task GetAccessToken_TokenWithinRefreshMargin_RefreshesOnceAndSavesTheNewTokens()
    {
        // Arrange: a clock the test moves; the client and the source share it.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = fixture.CreateClient(time);
        var cache = new TokenCache(_profile);
        var tokens = await fixture.SignInAsync(client, "fiona@under-review");
        Assert.Null(await cache.SaveAsync(tokens));
        var source = new AccessTokenSource(cache, client, time);

        // Act
        var whileFresh = await source.GetAccessTokenAsync();
        time.SetUtcNow(tokens.AccessTokenExpiresAt - TimeSpan.FromSeconds(30));
        var nearExpiry = await source.GetAccessTokenAsync();
        var again = await source.GetAccessTokenAsync();

        // Assert
        Assert.Equal(tokens.AccessToken, whileFresh.Value);
        Assert.True(nearExpiry.IsSuccess, nearExpiry.ToString());
        Assert.NotEqual(tokens.AccessToken, nearExpiry.Value);
        Assert.Equal(nearExpiry.Value, again.Value);
        var saved = (await cache.LoadAsync()).Value!;
        Assert.Equal(nearExpiry.Value, saved.AccessToken);
        Assert.NotEqual(tokens.RefreshToken, saved.RefreshToken);
        Assert.Equal("fiona@under-review", saved.Identity.Subject);
    }

    [Fact]
    public async Task GetAccessToken_SecondSourceOnTheSameProfile_UsesTheTokensTheFirstRefreshed()
    {
        // Arrange: two processes' worth of sources sharing one profile directory.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = fixture.CreateClient(time);
        var cache = new TokenCache(_profile);
        var tokens = await fixture.SignInAsync(client, "ben@reviewing-a");
        Assert.Null(await cache.SaveAsync(tokens));
        var first = new AccessTokenSource(cache, client, time);
        var second = new AccessTokenSource(new TokenCache(_profile), fixture.CreateClient(time), time);
        time.SetUtcNow(tokens.AccessTokenExpiresAt - TimeSpan.FromSeconds(10));

        // Act
        var fromFirst = await first.GetAccessTokenAsync();
        var fromSecond = await second.GetAccessTokenAsync();

        // Assert: the second did not spend the rotated refresh token again (which would revoke the grant).
        Assert.True(fromSecond.IsSuccess, fromSecond.ToString());
        Assert.Equal(fromFirst.Value, fromSecond.Value);
        time.SetUtcNow(time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var refreshAgain = await client.RefreshAsync((await cache.LoadAsync()).Value!);
        Assert.True(refreshAgain.IsSuccess, refreshAgain.ToString());
    }

    [Fact]
    public async Task SignOut_SignedIn_RevokesAtProviderAndDeletesTheCache()
    {
        // Arrange
        var client = fixture.CreateClient();
        var cache = new TokenCache(_profile);
        var tokens = await fixture.SignInAsync(client, "oscar@observer");
        Assert.Null(await cache.SaveAsync(tokens));

        // Act
        var result = await client.SignOutAsync(cache);

        // Assert
        Assert.True(result.WasSignedIn);
        Assert.True(result.Revoked);
        Assert.False(File.Exists(cache.FilePath));
        Assert.Equal(IdentityErrorKind.NotSignedIn, (await cache.LoadAsync()).Error.Kind);
        Assert.Equal(IdentityErrorKind.RefreshRejected, (await client.RefreshAsync(tokens)).Error.Kind);
        Assert.Equal(IdentityErrorKind.NotSignedIn, (await new AccessTokenSource(cache, client).GetAccessTokenAsync()).Error.Kind);
    }

    [Fact]
    public async Task SignOut_NotSignedIn_ReportsNothingToDo()
    {
        // Act
        var result = await fixture.CreateClient().SignOutAsync(new TokenCache(_profile));

        // Assert
        Assert.False(result.WasSignedIn);
        Assert.False(result.Revoked);
    }
}
