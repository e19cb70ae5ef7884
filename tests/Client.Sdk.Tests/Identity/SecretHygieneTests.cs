using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>A whole session (device sign-in, cache, refresh, sign-out) leaves no token in any log.</summary>
[Collection(OidcProviderCollection.Name)]
public sealed class SecretHygieneTests(OidcProviderFixture fixture) : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("sdlg-profile-").FullName;

    public void Dispose() => Directory.Delete(_profile, recursive: true);

    [Fact]
    public async Task FullSession_Always_LogsEventsButNoTokenOrCode()
    {
        // Arrange
        var logger = new CapturingLogger();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = fixture.CreateClient(logger: logger);
        var cache = new TokenCache(_profile);
        var secrets = new List<string>();

        // Act: device sign-in (system clock: the poll waits for real), then refresh and sign out.
        var authorization = (await client.StartDeviceAuthorizationAsync()).Value!;
        secrets.Add(authorization.DeviceCode);
        using (var user = new ProviderUser(fixture.Issuer))
        {
            var completion = client.CompleteDeviceAuthorizationAsync(authorization);
            await user.SignInWithUserCodeAsync(authorization.VerificationUriComplete!, "chen@reviewing-b", TestOidcProvider.Password);
            var tokens = (await completion).Value!;
            secrets.AddRange([tokens.AccessToken, tokens.RefreshToken!, tokens.IdToken!]);
            Assert.Null(await cache.SaveAsync(tokens));
            time.SetUtcNow(tokens.AccessTokenExpiresAt - TimeSpan.FromSeconds(5));
        }

        var source = new AccessTokenSource(cache, fixture.CreateClient(time, logger), time, logger);
        var refreshed = (await source.GetTokensAsync()).Value!;
        secrets.AddRange([refreshed.AccessToken, refreshed.RefreshToken!]);
        var signedOut = await client.SignOutAsync(cache);

        // Assert
        Assert.True(signedOut.Revoked);
        Assert.Contains(logger.Lines, line => line.Contains("device_code grant", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, line => line.Contains("Access token refreshed", StringComparison.Ordinal));
        var clientLog = logger.Text;
        var providerLog = fixture.Provider.ReadLog();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, clientLog, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, providerLog, StringComparison.Ordinal);
            // Not even a recognisable piece (a JWT's signature part is the most unique).
            Assert.DoesNotContain(secret.Split('.').Last(), clientLog, StringComparison.Ordinal);
        }
    }
}
