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
internal sealed class DialogueHub(ReviewAccess access, AcceptEnvelopeCommand accept) : Hub<IDialogueClient>
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

        // Every member (the secretariat included) hears about trust changes; only readers hear about a channel's items.
        await Groups.AddToGroupAsync(Context.ConnectionId, DialogueGroups.Review(reviewId), Context.ConnectionAborted).ConfigureAwait(false);
        var channels = membership.ReadableChannels;
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, DialogueGroups.Channel(reviewId, channel), Context.ConnectionAborted).ConfigureAwait(false);
        }

        return new JoinedReview(reviewId, channels);
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

    private Caller CurrentCaller() =>
        Caller.From(Context.User) ?? throw ApiErrors.Forbidden("Not signed in.").ToHubException();
}
