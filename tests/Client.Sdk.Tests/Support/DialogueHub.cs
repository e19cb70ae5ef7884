using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>The double's dialogue hub: bearer token on the upgrade request; join, send (with the drop hook).</summary>
internal sealed class DialogueHub(ScriptableServer server) : Hub<IDialogueClient>
{
    public override Task OnConnectedAsync()
    {
        var account = server.AuthenticateHub(Context.GetHttpContext()?.Request.Headers.Authorization.ToString());
        if (account is null || server.Script.RefuseHub)
        {
            Context.Abort();
            return Task.CompletedTask;
        }

        Context.Items["account"] = account;
        return Task.CompletedTask;
    }

    public async Task<JoinedReview> JoinReview(Guid reviewId)
    {
        var channels = server.ReadableChannels(Account, reviewId);
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ScriptableServer.GroupName(reviewId, channel));
        }

        return new JoinedReview(reviewId, channels);
    }

    public async Task<SendAck> Send(SendEnvelope request)
    {
        if (server.Script.Unavailable)
        {
            Context.Abort();
            throw new HubException("unavailable");
        }

        server.Script.HubSends++;
        var (ack, problem) = await server.AcceptFromHubAsync(Account, request);
        if (ack is null)
        {
            throw new HubException(problem![ProblemTypes.Prefix.Length..]);
        }

        if (server.ShouldDropConnectionFromHub())
        {
            // Stored, but the acknowledgement never leaves: the connection goes down first.
            Context.Abort();
            await Task.Delay(Timeout.Infinite, Context.ConnectionAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new HubException("connection dropped");
        }

        return ack;
    }

    private ScriptableServer.Account Account => (ScriptableServer.Account)Context.Items["account"]!;
}
