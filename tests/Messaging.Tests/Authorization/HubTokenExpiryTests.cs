using Microsoft.AspNetCore.SignalR.Client;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// A hub connection is authorised by the token it was opened with, for as long as that token lives: an expired token is
/// refused (issue 3, "Bad input and failure") on a connection opened earlier as on a new one.
/// </summary>
public sealed class HubTokenExpiryTests
{
    [Fact]
    public async Task Connection_WhenItsTokenExpires_ClosedByTheServer()
    {
        // Arrange: development tokens that live 3 seconds.
        await using var host = await MessagingHost.StartAsync(Engine.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Identity:DevTokenLifetime"] = "00:00:03",
        });
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);
        var token = await host.TokenAsync(review.Alice.User);
        await using var connection = new HubConnectionBuilder()
            .WithWebSocketUrl(host.HubUrl, _ => ValueTask.FromResult<string?>(token))
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        var joined = await connection.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);

        // Act
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Assert: joined while the token was valid, closed by the server once it expired.
        Assert.Equal(["dialogue"], joined.Channels);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }
}
