using SecureDialogue.Cli.Output;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>What <c>send --corrects</c> and <c>retract</c> print: the stored statement (docs/protocol.md 21).</summary>
/// <param name="Review">The review id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Action"><c>correct</c> or <c>retract</c>.</param>
/// <param name="Item">The amended item's sequence.</param>
/// <param name="Replacement">A correction's new item's sequence; null for a retraction.</param>
/// <param name="StoredAt">When the server stored the statement.</param>
/// <param name="ArchiveIndex">The statement's entry in the review's archive log.</param>
internal sealed record AmendedView(Guid Review, string Channel, string Action, long Item, long? Replacement, DateTimeOffset StoredAt, long ArchiveIndex)
{
    public static AmendedView Of(Guid review, string channel, AmendmentEntry entry) =>
        new(review, channel, entry.Action, entry.TargetSequence, entry.ReplacementSequence, entry.StoredAt, entry.ArchiveIndex);

    public void WriteText(TextWriter writer) => writer.WriteLine(Replacement is { } replacement
        ? $"Corrected {Channel}:{Item} by {Channel}:{replacement} (review {Review}); the statement is archived at index {ArchiveIndex}, {Times.Format(StoredAt)}. Both items stay."
        : $"Retracted {Channel}:{Item} (review {Review}); the statement is archived at index {ArchiveIndex}, {Times.Format(StoredAt)}. The item stays, marked retracted.");
}
