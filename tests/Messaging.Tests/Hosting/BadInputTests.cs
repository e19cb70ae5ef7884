using System.Net;
using System.Text;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Hosting;

/// <summary>Hostile bodies and parameters on every endpoint: always a 4xx problem, never a server error.</summary>
public sealed class BadInputTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    private static readonly string[] s_bodies =
    [
        "",
        "null",
        "[]",
        "\"text\"",
        "12",
        "{",
        "{\"a\":1}",
        "{\"card\":null,\"record\":null,\"envelope\":null,\"title\":null,\"user\":null}",
        "{\"card\":\"====\",\"record\":\"====\",\"envelope\":\"====\"}",
        "{\"card\":[1,2],\"record\":{},\"envelope\":true}",
        "{\"reviewId\":\"not-a-guid\",\"channel\":5}",
        "{\"members\":[{\"role\":99}]}",
        "{\"members\":{\"a\":1}}",
        "{\"title\":\"" + new string('x', 100_000) + "\"}",
        new string('[', 5000) + new string(']', 5000),
        "{\"user\":\"\\u0000\"}",
        "{\"reviewingStates\":[null,null],\"languages\":[\"\"]}",
    ];

    [Fact]
    public async Task Post_HostileBodiesOnEveryEndpoint_FourHundredProblemsOnly()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var routes = new[]
        {
            HttpRoutes.DevToken,
            HttpRoutes.Devices,
            HttpRoutes.Reviews,
            HttpRoutes.EpochsOf(review.ReviewId, "dialogue"),
            HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue"),
        };
        var random = new Random(20261123);
        var bodies = s_bodies.Concat(Enumerable.Range(0, 10).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            return Encoding.Latin1.GetString(bytes);
        })).ToList();

        // Act
        var failures = new List<string>();
        foreach (var route in routes)
        {
            foreach (var body in bodies)
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await review.Secretariat.Http.PostAsync(route, content);
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{route} <- {body[..Math.Min(40, body.Length)]}: {status}");
                }
            }
        }

        // Assert
        Assert.Empty(failures);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("?after=abc")]
    [InlineData("?after=-1")]
    [InlineData("?limit=0")]
    [InlineData("?limit=99999999999")]
    [InlineData("?after=9223372036854775807")]
    public async Task GetEnvelopes_HostileQuery_ClientErrorOrEmptyPage(string query)
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);

        // Act
        using var response = await review.Alice.Http.GetAsync(HttpRoutes.EnvelopesOf(review.ReviewId, "dialogue") + query);

        // Assert
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Fact]
    public async Task UnknownRouteAndMethod_NotFoundProblems()
    {
        // Arrange
        var host = await hosts.GetHostAsync();

        // Act
        using var unknown = await host.Anonymous.GetAsync("/api/nothing-here");
        using var method = await host.Anonymous.DeleteAsync(HttpRoutes.DevToken);

        // Assert
        await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal("application/problem+json", method.Content.Headers.ContentType?.MediaType);
    }
}
