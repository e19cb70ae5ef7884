using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Identity;

/// <summary>Development sign-in (embedded profile) and the bearer validation both profiles share.</summary>
public sealed class SignInTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task DevToken_ValidUser_BindsAnAccountUnderTheDevIssuer()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        var user = "expert-" + Guid.NewGuid().ToString("N")[..6];

        // Act
        using var client = host.ClientWith(await host.TokenAsync(user));
        var me = await client.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        using var again = host.ClientWith(await host.TokenAsync(user));
        var meAgain = await again.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);

        // Assert
        Assert.Equal(user, me!.Subject);
        Assert.EndsWith("/dev", me.Issuer, StringComparison.Ordinal);
        Assert.False(me.IsSecretariat);
        Assert.Equal(me.AccountId, meAgain!.AccountId);
    }

    [Fact]
    public async Task DevToken_SecretariatFlag_CarriedIntoTheAccount()
    {
        // Arrange
        var host = await hosts.GetHostAsync();

        // Act
        using var client = host.ClientWith(await host.TokenAsync("staff-" + Guid.NewGuid().ToString("N")[..6], secretariat: true));
        var me = await client.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);

        // Assert
        Assert.True(me!.IsSecretariat);
    }

    [Theory]
    [InlineData("{\"user\":\"\"}")]
    [InlineData("{\"user\":\"has space\"}")]
    [InlineData("{\"secretariat\":true}")]
    [InlineData("{\"user\":")]
    [InlineData("[]")]
    public async Task DevToken_InvalidRequest_BadRequestProblem(string body)
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        // Act
        using var response = await host.Anonymous.PostAsync(HttpRoutes.DevToken, content);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }

    [Fact]
    public async Task Api_WithoutToken_UnauthorizedProblem()
    {
        // Arrange
        var host = await hosts.GetHostAsync();

        // Act
        using var response = await host.Anonymous.GetAsync(HttpRoutes.Me);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Api_ExpiredToken_UnauthorizedProblem()
    {
        // Arrange: signed with the server's own development key and issuer, but expired ten minutes ago.
        var host = await hosts.GetHostAsync();
        var issuer = await IssuerAsync(host);
        using var key = LoadDevKey(host);
        var token = Sign(key, issuer, SignInOptions.DevAudience, "late-user", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(-10));

        // Act
        using var response = await Send(host, token);

        // Assert
        var problem = await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_TokenFromForeignIssuer_UnauthorizedProblem()
    {
        // Arrange: another issuer with its own key.
        var host = await hosts.GetHostAsync();
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Sign(foreign, "https://issuer.invalid/dev", SignInOptions.DevAudience, "someone", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        // Act
        using var response = await Send(host, token);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task Api_TokenWithRightIssuerButForeignKey_UnauthorizedProblem()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Sign(foreign, await IssuerAsync(host), SignInOptions.DevAudience, "someone", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        // Act
        using var response = await Send(host, token);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task Api_TokenForAnotherAudience_UnauthorizedProblem()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var key = LoadDevKey(host);
        var token = Sign(key, await IssuerAsync(host), "another-api", "someone", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        // Act
        using var response = await Send(host, token);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task Api_ValidHandMadeToken_Accepted()
    {
        // Arrange: the control for the refusals above: the same construction with every value right.
        var host = await hosts.GetHostAsync();
        using var key = LoadDevKey(host);
        var token = Sign(key, await IssuerAsync(host), SignInOptions.DevAudience, "hand-made", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        // Act
        using var response = await Send(host, token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DevSigningKey_File_IsOwnerOnly()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Act
        var mode = File.GetUnixFileMode(Path.Combine(host.DataDirectory, DevSigningKey.FileName));

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task Logs_AfterSignIns_HoldNoToken()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        var token = await host.TokenAsync("log-check-" + Guid.NewGuid().ToString("N")[..6]);
        using var client = host.ClientWith(token);

        // Act
        await client.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        using var refused = await Send(host, token[..^4] + "AAAA");

        // Assert
        var signature = token.Split('.')[2];
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains(signature, StringComparison.Ordinal) || e.Message.Contains("eyJ", StringComparison.Ordinal));
    }

    internal static string Sign(ECDsa key, string issuer, string audience, string subject, DateTimeOffset notBefore, DateTimeOffset expires)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static ECDsa LoadDevKey(MessagingHost host)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(host.DataDirectory, DevSigningKey.FileName)));
        return key;
    }

    private static async Task<string> IssuerAsync(MessagingHost host) =>
        new JsonWebToken(await host.TokenAsync("issuer-probe")).Issuer;

    private static Task<HttpResponseMessage> Send(MessagingHost host, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, HttpRoutes.Me);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return host.Anonymous.SendAsync(request);
    }
}
