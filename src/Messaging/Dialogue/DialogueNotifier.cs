using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>Rings the doorbell of a channel's connected readers (or of a review's joined members), after the change is committed. Failures are logged, never thrown.</summary>
internal sealed partial class DialogueNotifier(IHubContext<DialogueHub, IDialogueClient> hub, ILogger<DialogueNotifier> logger)
{
    public async Task EnvelopeStoredAsync(Guid reviewId, string channel, long sequence)
    {
        try
        {
            await hub.Clients.Group(DialogueGroups.Channel(reviewId, channel)).EnvelopeStored(new EnvelopeNotice(reviewId, channel, sequence)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The item is stored; a failed doorbell only delays readers until they fetch.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Failed(logger, reviewId, channel, e.GetType().Name);
        }
    }

    public async Task EpochAddedAsync(Guid reviewId, string channel, uint epoch)
    {
        try
        {
            await hub.Clients.Group(DialogueGroups.Channel(reviewId, channel)).EpochAdded(new EpochNotice(reviewId, channel, epoch)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As above.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Failed(logger, reviewId, channel, e.GetType().Name);
        }
    }

    /// <summary>Tells every connection joined to the review that its trust changed (<see cref="TrustNoticeKinds"/>).</summary>
    public async Task TrustChangedAsync(Guid reviewId, string kind)
    {
        try
        {
            await hub.Clients.Group(DialogueGroups.Review(reviewId)).TrustChanged(new TrustNotice(reviewId, kind)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As above: the change is stored; clients also refresh on their poll interval.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Failed(logger, reviewId, kind, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 590, Level = LogLevel.Warning, Message = "Notifying channel {ReviewId}/{Channel} failed ({ExceptionType})")]
        public static partial void Failed(ILogger logger, Guid reviewId, string channel, string exceptionType);
    }
}
