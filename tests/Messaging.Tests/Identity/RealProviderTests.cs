using System.Net;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Identity.Support;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Identity;

/// <summary>
/// The production profile against the real OpenID provider (npm oidc-provider started by scripts/oidc.sh) on PostgreSQL:
/// access tokens obtained with the device grant through the SDK's client, validated by the server through discovery and
/// the provider's JWKS.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RealProviderTests(PostgresFixture postgres, RealProviderFixture fixture) : IClassFixture<RealProviderFixture>
{
    /// <summary>The server's clock skew for token lifetimes (docs/server.md, "Signing in").</summary>
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Me_ProviderAccessToken_AccountBoundToIssuerAndSubject()
    {
        // Arrange
        var server = await fixture.GetServerAsync(postgres);

        // Act: two separate sign-ins of the same person.
        var first = await MeAsync(server, (await fixture.SignInAsync("ana@under-review")).AccessToken);
        var second = await MeAsync(server, (await fixture.SignInAsync("ana@under-review")).AccessToken);

        // Assert
        Assert.Equal(fixture.Provider.Issuer.OriginalString.TrimEnd('/'), first.Issuer);
        Assert.Equal("ana@under-review", first.Subject);
        Assert.Equal("Ana Alves", first.DisplayName);
        Assert.False(first.IsSecretariat);
        Assert.Equal(first.AccountId, second.AccountId);
    }

    [Fact]
    public async Task Me_SecretariatRoleFromProvider_MapsToIsSecretariatAndPreProvisionedMemberBindsOnSignIn()
    {
        // Arrange: sam@secretariat carries roles ["secretariat"] in the provider's access token.
        var server = await fixture.GetServerAsync(postgres);
        using var sam = server.ClientWith((await fixture.SignInAsync("sam@secretariat")).AccessToken);
        var samMe = await sam.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        using var created = await sam.PostAsJsonAsync(HttpRoutes.Reviews, new CreateReview(
            "Review of AUT (provider)", "AUT", ["FRA"], ["en"], [new NewMember("fiona@under-review", "Fiona", "AUT", MemberRole.Expert)]));
        var review = await created.Content.ReadFromJsonAsync<ReviewDetail>();

        // Act: the member named by subject signs in for the first time.
        using var fiona = server.ClientWith((await fixture.SignInAsync("fiona@under-review")).AccessToken);
        var fionaMe = await fiona.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        var fionaReviews = await fiona.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);
        using var fionaCreates = await fiona.PostAsJsonAsync(HttpRoutes.Reviews, new CreateReview("Not hers", "AUT", ["FRA"], ["en"], []));

        // Assert
        Assert.True(samMe!.IsSecretariat);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(fionaMe!.IsSecretariat);
        Assert.Equal("Fiona Fernandes", fionaMe.DisplayName);
        Assert.Contains(review!.Members, m => m.AccountId == fionaMe.AccountId && m.Role == MemberRole.Expert);
        Assert.Contains(fionaReviews!, r => r.ReviewId == review.ReviewId);
        await Problems.AssertAsync(fionaCreates, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Me_TokenOfAnotherServersDevelopmentIssuer_Unauthorized(bool claimingTheProvidersIssuer)
    {
        // Arrange: an embedded server signs a development token for the same audience, from its own issuer or, worse,
        // claiming the provider's issuer (with its own key).
        var server = await fixture.GetServerAsync(postgres);
        var settings = new Dictionary<string, string?>();
        if (claimingTheProvidersIssuer)
        {
            settings["Identity:DevIssuer"] = fixture.Provider.Issuer.OriginalString;
        }

        await using var other = await MessagingHost.StartAsync(Engine.Sqlite, settings: settings);
        var token = await other.TokenAsync("ana@under-review", secretariat: true);

        // Act
        using var client = server.ClientWith(token);
        using var response = await client.GetAsync(HttpRoutes.Me);

        // Assert
        Assert.Equal(IdentityClaims.DefaultAudience, Assert.Single(new JsonWebToken(token).Audiences));
        Assert.Equal(claimingTheProvidersIssuer, new JsonWebToken(token).Issuer == fixture.Provider.Issuer.OriginalString);
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task Me_ProviderTokenAfterItExpired_Unauthorized()
    {
        // Arrange: accepted while valid (the control), then past its expiry and the server's clock skew.
        var server = await fixture.GetServerAsync(postgres);
        var tokens = await fixture.SignInAsync("ben@reviewing-a");
        using var client = server.ClientWith(tokens.AccessToken);
        using (var whileValid = await client.GetAsync(HttpRoutes.Me))
        {
            Assert.Equal(HttpStatusCode.OK, whileValid.StatusCode);
        }

        var expires = new DateTimeOffset(new JsonWebToken(tokens.AccessToken).ValidTo, TimeSpan.Zero);
        Assert.True(expires - TimeProvider.System.GetUtcNow() <= RealProviderFixture.AccessTokenLifetime);
        var wait = expires + s_clockSkew + TimeSpan.FromSeconds(1) - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        // Act
        using var response = await client.GetAsync(HttpRoutes.Me);

        // Assert
        var problem = await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<MeResponse> MeAsync(MessagingHost server, string accessToken)
    {
        using var client = server.ClientWith(accessToken);
        using var response = await client.GetAsync(HttpRoutes.Me);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<MeResponse>())!;
    }
}
