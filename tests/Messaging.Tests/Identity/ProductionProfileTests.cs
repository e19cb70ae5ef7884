using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Identity;

/// <summary>The production profile: PostgreSQL, an external issuer, no development sign-in.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProductionProfileTests(PostgresFixture postgres)
{
    [Fact]
    public async Task DevToken_InProductionProfile_NotFound()
    {
        // Arrange: the provider is never contacted: no token reaches validation here.
        await using var host = await MessagingHost.StartAsync(Engine.Postgres, postgres, new Dictionary<string, string?>
        {
            ["Server:Profile"] = "Production",
            ["Database:Engine"] = null,
            ["Identity:Authority"] = "https://login.example.invalid/realms/untoc",
            ["Identity:Audience"] = "securedialogue-api",
        });

        // Act
        using var devToken = await host.Anonymous.PostAsJsonAsync(HttpRoutes.DevToken, new DevTokenRequest("alice"));
        using var me = await host.Anonymous.GetAsync(HttpRoutes.Me);

        // Assert
        await Problems.AssertAsync(devToken, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(me, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, Messaging.Identity.DevSigningKey.FileName)));
    }
}
