using SecureDialogue.Cli.Output;
using SecureDialogue.Client.Channels;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// One entry of a channel as this device verified it (what <c>read</c> lists and <c>watch</c> streams). Only
/// <c>verified</c> and <c>late</c> items carry <see cref="Text"/>; every other status is a marker in place of content.
/// </summary>
internal sealed record ItemView
{
    /// <summary>Always <c>item</c> (tells items from alerts in <c>watch --json</c>).</summary>
    public string Type { get; init; } = "item";

    /// <summary>The channel sequence the server assigned.</summary>
    public required long Sequence { get; init; }

    /// <summary><c>verified</c>, <c>late</c>, <c>missing</c>, <c>replayed</c>, <c>stale-epoch</c>, <c>malformed</c>, <c>invalid</c>, ...</summary>
    public required string Status { get; init; }

    /// <summary>The sender's clock when it sealed the item (signed).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the server says it stored the item.</summary>
    public DateTimeOffset? StoredAt { get; init; }

    /// <summary>The verified sender.</summary>
    public SenderView? Sender { get; init; }

    /// <summary>The item kind (signed), e.g. <c>request-for-clarification</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The language tag (signed).</summary>
    public string? Language { get; init; }

    /// <summary>The epoch whose key sealed it.</summary>
    public uint? Epoch { get; init; }

    /// <summary>The sender's counter.</summary>
    public ulong? Counter { get; init; }

    /// <summary>The text (verified content only).</summary>
    public string? Text { get; init; }

    /// <summary>The attachment a document item carries (verified content only): download it with <c>sdlg download CHANNEL:SEQUENCE</c>.</summary>
    public AttachmentRef? Attachment { get; init; }

    /// <summary>For <c>missing</c>: how many items did not arrive.</summary>
    public ulong? MissingCount { get; init; }

    /// <summary>For <c>missing</c>: <c>sequence</c> (the server skipped sequences) or <c>sender-counter</c> (a sender's counters skipped).</summary>
    public string? MissingSource { get; init; }

    /// <summary>The sequence of the item that corrects this one (its author's verified correction, docs/protocol.md 21).</summary>
    public long? CorrectedBy { get; init; }

    /// <summary>The sequence of the item this one corrects.</summary>
    public long? Corrects { get; init; }

    /// <summary>When its author's verified retraction was stored.</summary>
    public DateTimeOffset? RetractedAt { get; init; }

    /// <summary>
    /// <c>verified</c> (included in a checkpoint this device verified), <c>unverified</c>, <c>failed</c>, or
    /// <c>not-checked</c> (the server gave no archive index).
    /// </summary>
    public string Archive { get; init; } = "not-checked";

    public static ItemView Of(DialogueItem item) => new()
    {
        Archive = Names.Kebab(item.Archive),
        Sequence = item.Sequence,
        Status = Names.Kebab(item.Status),
        CreatedAt = item.CreatedAt,
        StoredAt = item.StoredAt,
        Sender = item.Sender is { } sender ? SenderView.Of(sender) : null,
        Kind = item.Kind is { } kind ? Names.Kebab(kind) : null,
        Language = item.Language,
        Epoch = item.Epoch,
        Counter = item.Counter,
        Text = item.HasContent ? item.Text : null,
        Attachment = item.HasContent ? AttachmentRef.Of(item) : null,
        MissingCount = item.Status == DialogueItemStatus.Missing ? item.MissingCount : null,
        MissingSource = item.MissingSource is { } source ? Names.Kebab(source) : null,
        CorrectedBy = item.CorrectedBy,
        Corrects = item.Corrects,
        RetractedAt = item.RetractedAt,
    };

    // The author's verified corrections and retractions: the item stays, marked.
    private string Amended() =>
        (Corrects is { } corrects ? $"  (corrects #{corrects})" : string.Empty) +
        (CorrectedBy is { } by ? $"  [CORRECTED by #{by}]" : string.Empty) +
        (RetractedAt is { } at ? $"  [RETRACTED at {Times.Format(at)}]" : string.Empty);

    public void WriteText(TextWriter writer)
    {
        var who = Sender?.Describe() ?? "unknown sender";
        switch (Status)
        {
            case "verified" or "late":
                var time = CreatedAt ?? StoredAt;
                var late = Status == "late" ? "  LATE (delivered out of order)" : "";
                var archived = Archive switch
                {
                    "verified" => "  [archived]",
                    "unverified" => "  [NOT VERIFIED IN ARCHIVE]",
                    "failed" => "  [ARCHIVE MISMATCH]",
                    _ => string.Empty,
                };
                writer.WriteLine($"#{Sequence}  {(time is { } t ? Times.Format(t) : "-")}  {who}  {Kind}  {Language}  {Status}{late}{archived}{Amended()}");
                if (Attachment is { } file)
                {
                    writer.WriteLine($"    [file] {file.FileName}  ({Attachments.ProgressLine.Bytes(file.Size)}, {file.MediaType})  sdlg download <channel>:{Sequence} --out PATH");
                }

                if (Attachment is null || !string.IsNullOrEmpty(Text))
                {
                    foreach (var line in (Text ?? "").ReplaceLineEndings("\n").Split('\n'))
                    {
                        writer.WriteLine($"    {line}");
                    }
                }

                break;
            case "missing":
                var count = MissingCount ?? 0;
                var noun = count == 1 ? "item" : "items";
                writer.WriteLine(MissingSource == "sequence"
                    ? $"#{Sequence}  ! MISSING: {count} {noun} not delivered (the server skipped sequence {Sequence}{(count > 1 ? $"-{Sequence + (long)count - 1}" : "")})"
                    : $"#{Sequence}  ! MISSING: {count} {noun} from {who} not delivered (the sender's counter skipped)");
                break;
            case "replayed":
                writer.WriteLine($"#{Sequence}  ! REPLAYED: an item from {who} delivered again (counter {Counter}); not shown");
                break;
            case "stale-epoch":
                writer.WriteLine($"#{Sequence}  ! STALE EPOCH: an item from {who} sealed in epoch {Epoch}, already replaced when stored; not shown");
                break;
            default:
                writer.WriteLine($"#{Sequence}  ! INVALID ({Status}): {Explain(Status)}; not shown");
                break;
        }
    }

    private static string Explain(string status) => status switch
    {
        "malformed" => "not a well-formed envelope",
        "unsupported-version" => "an envelope version this sdlg does not read",
        "wrong-context" => "an item of another review or channel delivered here",
        "unknown-epoch" => "sealed in an epoch this device did not accept or holds no key for",
        "unknown-sender" => "the sender is not a member device of the item's epoch",
        "sender-removed" => "posted by a removed member after the removal",
        _ => "the signature, decryption or structure check failed (tampered)",
    };
}

/// <summary>The sender of an item and how this device regards the sending device.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="AccountId">The account the device belongs to, if known.</param>
/// <param name="Name">Display name, if known.</param>
/// <param name="State">The sender's State, if known.</param>
/// <param name="Trust"><c>own</c>, <c>pinned</c>, <c>trusted</c> or <c>unverified</c>.</param>
internal sealed record SenderView(string DeviceId, Guid? AccountId, string? Name, string? State, string Trust)
{
    public static SenderView Of(ItemSender sender) =>
        new(sender.DeviceId, sender.AccountId, sender.DisplayName, sender.StateCode, Names.Kebab(sender.Trust));

    public string Describe()
    {
        var name = Name ?? $"device {DeviceId}";
        var state = State is null ? "" : $" ({State})";
        var trust = Trust switch
        {
            "own" => " [you]",
            "unverified" => $" [UNVERIFIED DEVICE {DeviceId}]",
            "trusted" => " [trusted device]",
            _ => "",
        };
        return name + state + trust;
    }
}

/// <summary>The attachment of a document item, from its verified manifest (the file key is never shown).</summary>
/// <param name="FileName">The sender's file name.</param>
/// <param name="MediaType">The sender's media type.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="BlobId">The ciphertext hash (the blob's id on the server).</param>
internal sealed record AttachmentRef(string FileName, string MediaType, long Size, string BlobId)
{
    public static AttachmentRef? Of(DialogueItem item)
    {
        var segment = item.Segments?.FirstOrDefault(s => s.Kind == Vault.Envelopes.SegmentKind.FileReference);
        if (segment is null || !Vault.Attachments.AttachmentManifest.FromSegment(segment).TryGetValue(out var manifest, out _))
        {
            return null;
        }

        using (manifest)
        {
            return new AttachmentRef(manifest.FileName, manifest.MediaType, manifest.PlaintextLength, manifest.BlobId);
        }
    }
}
