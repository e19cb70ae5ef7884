namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>What <c>send</c> prints.</summary>
/// <param name="Review">The review id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sequence">The sequence the server acknowledged; null while queued.</param>
/// <param name="Duplicate">True when the server had already stored this item (a retry).</param>
/// <param name="Queued">True when the server could not be reached: the sealed item waits in the profile's outbox.</param>
/// <param name="Epoch">The epoch it was sealed in.</param>
/// <param name="Counter">This device's counter for it.</param>
/// <param name="ClientMessageId">Its client message id (the server's idempotency key).</param>
/// <param name="Kind">The item kind.</param>
/// <param name="Language">The language tag.</param>
/// <param name="Length">The text's length in characters (the text itself is not echoed).</param>
internal sealed record SentView(Guid Review, string Channel, long? Sequence, bool Duplicate, bool Queued, uint Epoch, ulong Counter, Guid ClientMessageId, string Kind, string Language, int Length)
{
    public void WriteText(TextWriter writer)
    {
        if (Queued)
        {
            writer.WriteLine($"Queued for '{Channel}' (review {Review}): the server could not be reached; the sealed item stays in this profile's outbox and is sent by the next read, send or watch.");
            return;
        }

        writer.WriteLine($"Sent to '{Channel}' (review {Review}): sequence {Sequence}, epoch {Epoch}, {Kind}, {Language}, {Length} characters{(Duplicate ? " (already stored: a retry)" : "")}.");
    }
}
