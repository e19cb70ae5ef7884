using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Identity.Cache;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>The token cache file: owner-only, atomic, refused when others can read it, never printed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TokenCacheTests : IDisposable
{
    private const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.access-token-secret.sig";
    private const string RefreshToken = "refresh-token-secret";
    private const string IdToken = "eyJhbGciOiJSUzI1NiJ9.id-token-secret.sig";

    private readonly string _root = Directory.CreateTempSubdirectory("sdlg-cache-").FullName;

    private string Profile => Path.Combine(_root, "profile");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SaveAsync_NewProfile_WritesAnOwnerOnlyFileInAnOwnerOnlyDirectory()
    {
        // Arrange
        var cache = new TokenCache(Profile);

        // Act
        var error = await cache.SaveAsync(Tokens());

        // Assert
        Assert.Null(error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Profile));
        Assert.Equal([TokenCache.FileName], Directory.GetFiles(Profile).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveAsync_ExistingFileWithLooseMode_ReplacesItWithAnOwnerOnlyOne()
    {
        // Arrange
        var cache = new TokenCache(Profile);
        await cache.SaveAsync(Tokens());
        File.SetUnixFileMode(cache.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        // Act
        var error = await cache.SaveAsync(Tokens("second-access-token"));

        // Assert
        Assert.Null(error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.FilePath));
        Assert.Equal("second-access-token", (await cache.LoadAsync()).Value!.AccessToken);
    }

    [Fact]
    public async Task LoadAsync_AfterSave_ReturnsTheSameTokensAndIdentity()
    {
        // Arrange
        var cache = new TokenCache(Profile);
        var saved = Tokens();
        await cache.SaveAsync(saved);

        // Act
        var loaded = await cache.LoadAsync();

        // Assert
        Assert.True(loaded.IsSuccess, loaded.ToString());
        Assert.Equal(saved.AccessToken, loaded.Value!.AccessToken);
        Assert.Equal(saved.RefreshToken, loaded.Value.RefreshToken);
        Assert.Equal(saved.IdToken, loaded.Value.IdToken);
        Assert.Equal(saved.AccessTokenExpiresAt, loaded.Value.AccessTokenExpiresAt);
        Assert.Equal(saved.Identity, loaded.Value.Identity);
        Assert.True(loaded.Value.Identity.IsSecretariat);
    }

    [Fact]
    public async Task LoadAsync_FileReadableByOthers_ReturnsCacheUnreadable()
    {
        // Arrange
        var cache = new TokenCache(Profile);
        await cache.SaveAsync(Tokens());
        File.SetUnixFileMode(cache.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        // Act
        var loaded = await cache.LoadAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.CacheUnreadable, loaded.Error.Kind);
        Assert.DoesNotContain(AccessToken, loaded.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NoFile_ReturnsNotSignedIn()
    {
        // Act
        var loaded = await new TokenCache(Profile).LoadAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.NotSignedIn, loaded.Error.Kind);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\":2,\"client_id\":\"c\",\"issuer\":\"i\",\"subject\":\"s\",\"access_token\":\"a\"}")]
    [InlineData("{\"version\":1,\"client_id\":\"c\",\"issuer\":\"i\",\"access_token\":\"a\"}")]
    public async Task LoadAsync_MalformedOrUnknownVersion_ReturnsCacheUnreadable(string contents)
    {
        // Arrange
        var cache = new TokenCache(Profile);
        Directory.CreateDirectory(Profile);
        File.WriteAllText(cache.FilePath, contents);
        File.SetUnixFileMode(cache.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Act
        var loaded = await cache.LoadAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.CacheUnreadable, loaded.Error.Kind);
    }

    [Fact]
    public void TokenSet_ToString_NamesTheAccountButNoToken()
    {
        // Act
        var text = Tokens().ToString();

        // Assert
        Assert.Contains("sam@secretariat", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(IdToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", $"{new TokenCache(Profile)}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshLock_HeldByOneHolder_IsNotGrantedToAnotherUntilReleased()
    {
        // Arrange
        var cache = new TokenCache(Profile);
        var first = await TokenCacheLock.AcquireAsync(cache, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        // Act
        var whileHeld = await TokenCacheLock.AcquireAsync(cache, TimeSpan.FromMilliseconds(300), TimeProvider.System, CancellationToken.None);
        first!.Dispose();
        var afterRelease = await TokenCacheLock.AcquireAsync(cache, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.NotNull(first);
        Assert.Null(whileHeld);
        Assert.NotNull(afterRelease);
        afterRelease.Dispose();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.LockPath));
    }

    private static TokenSet Tokens(string accessToken = AccessToken) => new(
        "sdlg-cli",
        new SignedInIdentity("http://127.0.0.1:5090", "sam@secretariat", "Sam Sato", "sam@secretariat", null, ["secretariat"]),
        accessToken,
        DateTimeOffset.FromUnixTimeSeconds(1_900_000_000),
        RefreshToken,
        IdToken);
}
