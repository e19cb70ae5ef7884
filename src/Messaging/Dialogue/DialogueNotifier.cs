using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>Rings the doorbell of a channel's connected readers, after the item is committed. Failures are logged, never thrown.</summary>
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 590, Level = LogLevel.Warning, Message = "Notifying channel {ReviewId}/{Channel} failed ({ExceptionType})")]
        public static partial void Failed(ILogger logger, Guid reviewId, string channel, string exceptionType);
    }
}
