using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// The doorbell (<see cref="DialogueHubContract"/>): joins a member's connection to the groups of the channels it
/// reads, and takes envelopes through the same <see cref="AcceptEnvelopeCommand"/> as the HTTP API. Thin by design:
/// every check lives in the command; refusals are <see cref="HubException"/>s carrying the problem type's code.
/// </summary>
[Authorize]
internal sealed class DialogueHub(ReviewAccess access, AcceptEnvelopeCommand accept, HubSubscriptions subscriptions) : Hub<IDialogueClient>
{
    /// <summary><see cref="DialogueHubContract.JoinReview"/>.</summary>
    public async Task<JoinedReview> JoinReview(Guid reviewId)
    {
        var caller = CurrentCaller();
        var outcome = await access.ForReviewAsync(caller, reviewId, Context.ConnectionAborted).ConfigureAwait(false);
        if (!outcome.TryGet(out var membership, out var error))
        {
            throw error.ToHubException();
        }

        if (membership.Role != MemberRole.Secretariat)
        {
            return await JoinAsync(membership).ConfigureAwait(false);
        }

        // The secretariat's channels follow the disclosure policy, which may change while this connection stays open:
        // read it again and register under the gate policy changes pass, so none lands between the read and the register.
        using (await subscriptions.EnterAsync(Context.ConnectionAborted).ConfigureAwait(false))
        {
            outcome = await access.ForReviewAsync(caller, reviewId, Context.ConnectionAborted).ConfigureAwait(false);
            if (!outcome.TryGet(out membership, out error))
            {
                throw error.ToHubException();
            }

            var joined = await JoinAsync(membership).ConfigureAwait(false);
            subscriptions.Joined(Context.ConnectionId, reviewId, joined.Channels);
            return joined;
        }
    }

    /// <summary><see cref="DialogueHubContract.Send"/>.</summary>
    public async Task<SendAck> Send(SendEnvelope request)
    {
        var caller = CurrentCaller();
        if (request is null)
        {
            throw ApiErrors.MalformedEnvelope("No request.").ToHubException();
        }

        var outcome = await accept.ExecuteAsync(caller, request.ReviewId, request.Channel, request.Envelope, Context.ConnectionAborted).ConfigureAwait(false);
        return outcome.TryGet(out var ack, out var error) ? ack : throw error.ToHubException();
    }

    /// <summary>Forgets the connection's secretariat subscriptions (SignalR drops its groups itself).</summary>
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task<JoinedReview> JoinAsync(Membership membership)
    {
        // Every member (the secretariat included) hears about trust changes; only readers hear about a channel's items.
        await Groups.AddToGroupAsync(Context.ConnectionId, DialogueGroups.Review(membership.ReviewId), Context.ConnectionAborted).ConfigureAwait(false);
        var channels = membership.ReadableChannels;
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, DialogueGroups.Channel(membership.ReviewId, channel), Context.ConnectionAborted).ConfigureAwait(false);
        }

        return new JoinedReview(membership.ReviewId, channels);
    }

    private Caller CurrentCaller() =>
        Caller.From(Context.User) ?? throw ApiErrors.Forbidden("Not signed in.").ToHubException();
}
