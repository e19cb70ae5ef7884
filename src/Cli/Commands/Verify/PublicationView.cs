using System.Globalization;
using System.Text;
using SecureDialogue.Cli.Output;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// What <c>sdlg verify publication</c> prints. Content (segments, author, dates, checkpoint) is shown only for a valid
/// record; an invalid one shows only what failed, so that unverified text is never presented as genuine.
/// </summary>
internal sealed record PublicationView
{
    public required bool Valid { get; init; }

    public required IReadOnlyList<PublicationProblemView> Problems { get; init; }

    public string? Review { get; init; }

    public string? Channel { get; init; }

    public string? ItemKind { get; init; }

    public string? Language { get; init; }

    /// <summary>The author's clock when it sealed the item (signed by the author).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public PartyView? Author { get; init; }

    public PartyView? Publisher { get; init; }

    public string? Audience { get; init; }

    /// <summary>The publisher's clock when it built the record (signed by the publisher).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    public IReadOnlyList<SegmentView>? Segments { get; init; }

    public PublicationArchiveView? Archive { get; init; }

    public static PublicationView Of(PublicationVerification result, PublicationTrust trust)
    {
        var problems = result.Problems.Select(p => new PublicationProblemView(Names.Kebab(p.Failure), p.Segment, p.OtherSegment, p.Describe())).ToList();
        if (!result.IsValid || result.Record is not { } record)
        {
            return new PublicationView { Valid = false, Problems = problems };
        }

        var header = record.Item.Header;
        var checkpoint = result.Checkpoint!;
        return new PublicationView
        {
            Valid = true,
            Problems = problems,
            Review = header.Review.ToString("D"),
            Channel = header.Channel.Value,
            ItemKind = Names.Kebab(header.Kind),
            Language = header.Language.Value,
            CreatedAt = header.CreatedAt,
            Author = new PartyView(record.AuthorState.Value, result.Author!.Id.ToString(), Certified: false),
            Publisher = new PartyView(record.PublisherState.Value, result.Publisher!.Id.ToString(), Certified: false),
            Audience = record.Audience == PublicationAudience.Public ? "public" : "states-parties",
            PublishedAt = record.PublishedAt,
            Segments = SegmentsOf(record),
            Archive = new PublicationArchiveView(
                record.Archive.EntryIndex,
                Names.Kebab(record.Archive.Form),
                record.Archive.ReceivedAt,
                checkpoint.Origin,
                checkpoint.TreeSize,
                Convert.ToHexStringLower(checkpoint.RootHash),
                checkpoint.Time,
                [.. checkpoint.Cosignatures.Select(c => new CosignatureView(
                    c.Cosigner.Name, c.Cosigner.Device?.ToString(), c.Time, trust.ArchiveKeys.Cosigners.Any(t => t.Name == c.Cosigner.Name && t.PublicKey.SequenceEqual(c.Cosigner.PublicKey))))]),
        };
    }

    public void WriteText(TextWriter writer)
    {
        if (!Valid)
        {
            writer.WriteLine("invalid: this publication record does not prove what it claims");
            foreach (var p in Problems)
            {
                writer.WriteLine($"  - {p.Detail} ({p.Failure})");
            }

            return;
        }

        var disclosed = Segments!.Count(s => s.Status == "disclosed");
        writer.WriteLine($"valid: {ItemKind} in {Language}, {disclosed} of {Segments!.Count} segments disclosed");
        writer.WriteLine($"review:     {Review}, channel {Channel}");
        writer.WriteLine($"author:     {Author!.State} (device {Author.Device}; State as stated by the publisher, not certified)");
        writer.WriteLine($"written:    {Times.Format(CreatedAt!.Value)} (author's clock, signed)");
        writer.WriteLine($"archived:   entry {Archive!.EntryIndex} ({Archive.EntryForm}), received {Times.Format(Archive.ReceivedAt)} (archive clock)");
        writer.WriteLine($"checkpoint: {Archive.TreeSize} entries, root {Archive.Root}, signed {Times.Format(Archive.CheckpointTime)}");
        foreach (var c in Archive.Cosignatures)
        {
            writer.WriteLine($"cosigned:   {c.Name} at {Times.Format(c.Time)}{(c.Trusted ? " (trusted)" : " (not in the trusted cosigners)")}");
        }

        writer.WriteLine($"published:  {Times.Format(PublishedAt!.Value)} by {Publisher!.State} (device {Publisher.Device}), audience {Audience}");
        foreach (var s in Segments)
        {
            writer.WriteLine();
            if (s.Status == "withheld")
            {
                writer.WriteLine($"[{s.Index}] [withheld by the publishing State]");
                continue;
            }

            var title = s.QuestionReference is { } q ? $"{s.Kind} {q}" : s.Kind;
            writer.WriteLine($"[{s.Index}] {title}");
            if (s.Document is { } d)
            {
                writer.WriteLine($"    document \"{d.Name}\", {d.MediaType}, {d.Length.ToString(CultureInfo.InvariantCulture)} bytes, BLAKE2b-256 {d.PlaintextHash}");
            }

            if (s.Text is not { } text)
            {
                continue;
            }

            foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            {
                writer.WriteLine($"    {line}");
            }
        }
    }

    private static List<SegmentView> SegmentsOf(PublicationRecord record)
    {
        var views = new List<SegmentView>();
        for (var i = 0; i < record.Commitments.Count; i++)
        {
            var disclosed = record.Disclosed.FirstOrDefault(d => d.Index == i);
            if (disclosed is null)
            {
                views.Add(new SegmentView { Index = i, Status = "withheld" });
                continue;
            }

            var segment = disclosed.Segment;
            DocumentView? document = null;
            if (segment.Kind == SegmentKind.FileReference && AttachmentManifest.FromSegment(segment) is { IsSuccess: true } decoded)
            {
                using var manifest = decoded.Value;
                document = new DocumentView(Printable(manifest.FileName), manifest.MediaType, manifest.PlaintextLength, Convert.ToHexStringLower(manifest.PlaintextHash));
            }

            views.Add(new SegmentView
            {
                Index = i,
                Status = "disclosed",
                Kind = Names.Kebab(segment.Kind),
                QuestionReference = segment.QuestionReference,
                Text = segment.TextContent is { } text ? Printable(text) : null,
                Document = document,
            });
        }

        return views;
    }

    /// <summary>Replaces control characters other than line feed and tab, so that published text cannot drive the terminal.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) && c is not '\n' and not '\t' ? '\uFFFD' : c);
        }

        return builder.ToString();
    }
}

/// <summary>One failed check.</summary>
internal sealed record PublicationProblemView(string Failure, int? Segment, int? OtherSegment, string Detail);

/// <summary>A State and the device that acted for it.</summary>
internal sealed record PartyView(string State, string Device, bool Certified);

/// <summary>One segment of the item: disclosed (with its content) or withheld (a marker only).</summary>
internal sealed record SegmentView
{
    public required int Index { get; init; }

    /// <summary><c>disclosed</c> or <c>withheld</c>.</summary>
    public required string Status { get; init; }

    public string? Kind { get; init; }

    public string? QuestionReference { get; init; }

    public string? Text { get; init; }

    public DocumentView? Document { get; init; }
}

/// <summary>A disclosed document, as its (verified) manifest describes it.</summary>
internal sealed record DocumentView(string Name, string MediaType, long Length, string PlaintextHash);

/// <summary>Where the archive logged the item, and the checkpoint that proves it.</summary>
internal sealed record PublicationArchiveView(
    long EntryIndex, string EntryForm, DateTimeOffset ReceivedAt, string Origin, long TreeSize, string Root, DateTimeOffset CheckpointTime, IReadOnlyList<CosignatureView> Cosignatures);

/// <summary>A cosignature that verified.</summary>
internal sealed record CosignatureView(string Name, string? Device, DateTimeOffset Time, bool Trusted);
