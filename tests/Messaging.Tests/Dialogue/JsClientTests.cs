using System.Net.Http.Json;
using System.Text.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>
/// The JavaScript client <c>@microsoft/signalr</c> (tests/Messaging.Tests/js, pinned by its lock file) in node against
/// the real hub, the way a browser connects: the token in the <c>access_token</c> query string, WebSockets, no
/// negotiation.
/// </summary>
public sealed class JsClientTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    private const string Script = "hub-client.mjs";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task JoinReview_JsClientWithQueryStringToken_ReceivesEnvelopeStoredWhenAnotherMemberSends()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host);
        await using var alice = await StartAsync(host, review.Alice.Token, review.ReviewId);
        var connected = await alice.NextEventAsync(s_wait);
        var joined = await alice.NextEventAsync(s_wait);

        // Act
        using var posted = await review.PostEnvelopeAsync(review.Bob, ReviewScenario.Seal(review.Bob, review.DialogueKey!, 1, "From Bob to the JS client."));
        var ack = await posted.Content.ReadFromJsonAsync<SendAck>();
        var stored = await alice.NextEventAsync(s_wait);
        var exitCode = await alice.WaitForExitAsync(s_wait);

        // Assert
        Assert.Equal("connected", Event(connected));
        Assert.Equal("joined", Event(joined));
        Assert.Equal(review.ReviewId, joined.GetProperty("reviewId").GetGuid());
        Assert.Equal(["dialogue"], joined.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("envelopeStored", Event(stored));
        Assert.Equal(review.ReviewId, stored.GetProperty("reviewId").GetGuid());
        Assert.Equal("dialogue", stored.GetProperty("channel").GetString());
        Assert.Equal(ack!.Sequence, stored.GetProperty("sequence").GetInt64());
        Assert.Equal(0, exitCode);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("foreign")]
    [InlineData("none")]
    public async Task Connect_JsClientWithWrongToken_Refused(string kind)
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var valid = review.Alice.Token;
        var token = kind switch
        {
            // The same claims with another signature.
            "tampered" => valid[..valid.LastIndexOf('.')] + "." + new string('A', valid.Length - valid.LastIndexOf('.') - 1),
            // Well-formed and signed, by another issuer (another server's development key).
            "foreign" => await ForeignTokenAsync(),
            _ => string.Empty,
        };

        // Act
        await using var client = await StartAsync(host, token, review.ReviewId);
        var refused = await client.NextEventAsync(s_wait);
        var exitCode = await client.WaitForExitAsync(s_wait);

        // Assert: refused at the WebSocket upgrade, never connected.
        Assert.Equal("refused", Event(refused));
        Assert.Equal("Unexpected server response: 401", refused.GetProperty("upgrade").GetString());
        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("\"connected\"", client.Output, StringComparison.Ordinal);
    }

    private static async Task<string> ForeignTokenAsync()
    {
        await using var other = await MessagingHost.StartAsync(Engine.Sqlite);
        return await other.TokenAsync("alice");
    }

    private static Task<NodeScript> StartAsync(MessagingHost host, string token, Guid reviewId) =>
        NodeScript.StartAsync(Script, [reviewId.ToString(), "1"], new Dictionary<string, string>
        {
            ["SDLG_HUB_URL"] = host.HubUrl.ToString(),
            ["SDLG_TOKEN"] = token,
            ["SDLG_TIMEOUT_MS"] = ((int)s_wait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private static string? Event(JsonElement element) => element.GetProperty("event").GetString();
}
