using SecureDialogue.Cli.Output;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Publication;

/// <summary>What <c>sdlg publish</c> and <c>sdlg publications</c> print for one publication.</summary>
/// <param name="PublicationId">The record's SHA-256 (lower-case hex).</param>
/// <param name="Review">The review.</param>
/// <param name="Item">The item as CHANNEL:SEQUENCE.</param>
/// <param name="Kind">The item's kind.</param>
/// <param name="Audience"><c>states</c> or <c>public</c>.</param>
/// <param name="Disclosed">The published segments.</param>
/// <param name="Withheld">The withheld segments.</param>
/// <param name="EntryIndex">The publication's entry in the review's archive log.</param>
/// <param name="PublishedAt">The publisher's signed time.</param>
/// <param name="VisibleFrom">When the portal shows it.</param>
/// <param name="WithdrawnAt">When it was withdrawn, or null.</param>
/// <param name="PageUrl">The portal page (absolute).</param>
/// <param name="RecordUrl">The record's download on the portal (absolute), for <c>sdlg verify publication</c>.</param>
/// <param name="Stored"><c>stored</c>, <c>withdrawn</c> or <c>listed</c>.</param>
internal sealed record PublishedView(
    string PublicationId, Guid Review, string Item, string Kind, string Audience, IReadOnlyList<int> Disclosed, IReadOnlyList<int> Withheld,
    long EntryIndex, DateTimeOffset PublishedAt, DateTimeOffset VisibleFrom, DateTimeOffset? WithdrawnAt, string PageUrl, string RecordUrl, string Stored)
{
    public static PublishedView Of(PublicationEntry entry, Uri server, string stored) => new(
        entry.PublicationId, entry.ReviewId, $"{entry.Channel}:{entry.ItemSequence}", entry.ItemKind, entry.Audience, entry.Disclosed,
        [.. Enumerable.Range(0, entry.Segments).Where(i => !entry.Disclosed.Contains(i))], entry.EntryIndex, entry.PublishedAt, entry.VisibleFrom, entry.WithdrawnAt,
        new Uri(server, entry.PageUrl).ToString(), new Uri(server, entry.RecordUrl).ToString(), stored);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Publication {PublicationId} ({Stored})");
        writer.WriteLine($"  item {Item} ({Kind}), audience {Audience}, segments published [{string.Join(',', Disclosed)}], withheld [{string.Join(',', Withheld)}]");
        writer.WriteLine($"  published {Times.Format(PublishedAt)}, archive entry {EntryIndex}{(VisibleFrom > PublishedAt.AddMinutes(1) ? $", on the portal from {Times.Format(VisibleFrom)}" : string.Empty)}");
        if (WithdrawnAt is { } withdrawn)
        {
            writer.WriteLine($"  WITHDRAWN {Times.Format(withdrawn)}");
        }

        writer.WriteLine($"  page:   {PageUrl}");
        writer.WriteLine($"  record: {RecordUrl}");
    }
}

/// <summary>What <c>sdlg publications list</c> prints.</summary>
/// <param name="Review">The review.</param>
/// <param name="Publications">Its publications, oldest first.</param>
internal sealed record PublicationsView(Guid Review, IReadOnlyList<PublishedView> Publications)
{
    public void WriteText(TextWriter writer)
    {
        if (Publications.Count == 0)
        {
            writer.WriteLine($"Review {Review}: no publications.");
        }

        foreach (var publication in Publications)
        {
            publication.WriteText(writer);
        }
    }
}
