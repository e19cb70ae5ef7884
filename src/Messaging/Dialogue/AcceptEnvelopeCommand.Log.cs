using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Dialogue;

internal sealed partial class AcceptEnvelopeCommand
{
    // Ids, codes and lengths only: never envelope bytes, header contents beyond the ids, or tokens.
    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Information,
            Message = "Envelope accepted: {ReviewId}/{Channel} #{Sequence} from device {DeviceId}, epoch {Epoch}, {Length} bytes")]
        public static partial void Accepted(ILogger logger, Guid reviewId, string channel, long sequence, DeviceId deviceId, uint epoch, int length);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information,
            Message = "Envelope retry: {ReviewId}/{Channel} #{Sequence} from device {DeviceId} was already stored")]
        public static partial void Duplicate(ILogger logger, Guid reviewId, string channel, long sequence, DeviceId deviceId);

        [LoggerMessage(EventId = 503, Level = LogLevel.Information,
            Message = "Envelope refused: {ReviewId}/{Channel} from account {AccountId}: {Code} ({Length} bytes)")]
        public static partial void Refused(ILogger logger, Guid reviewId, string channel, Guid accountId, string code, int length);
    }
}
