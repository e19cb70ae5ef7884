using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Archive;

/// <summary>Where an entry's payload bytes are kept.</summary>
internal enum PayloadSource
{
    /// <summary>In the entry's own row (<c>archive_entries.payload</c>).</summary>
    Row,

    /// <summary>
    /// The envelope at (channel, <see cref="ArchiveRecord.SourceNumber"/> = sequence) of <c>envelopes</c> (a whole-envelope
    /// entry; a summary entry is <see cref="Row"/>, with the same channel and sequence naming the envelope beside it).
    /// </summary>
    Envelope,

    /// <summary>The epoch record at (channel, <see cref="ArchiveRecord.SourceNumber"/> = epoch) of <c>epoch_records</c>.</summary>
    EpochRecord,

    /// <summary>Nowhere in the database: a digest-form entry whose bytes live elsewhere (an attachment in the blob store).</summary>
    External,
}

/// <summary>
/// One event to archive, as the command that performs the event hands it to <see cref="ArchiveWriter"/> inside its
/// transaction. The log assigns the index. Inline payloads are hashed once here; envelopes and epoch records are not
/// copied into the archive tables (their rows, made immutable by migration 0003, hold the bytes).
/// </summary>
internal sealed class ArchiveRecord
{
    private ArchiveRecord(ArchiveEntryKind kind, DateTimeOffset receivedAt, long? target, ArchivePayloadForm form, ReadOnlyMemory<byte> payload,
        byte[] digest, long length, PayloadSource source, string? channel, long? sourceNumber)
    {
        Kind = kind;
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(receivedAt.ToUnixTimeMilliseconds());
        Target = target;
        Form = form;
        Payload = payload;
        Digest = digest;
        PayloadLength = length;
        Source = source;
        Channel = channel;
        SourceNumber = sourceNumber;
    }

    public ArchiveEntryKind Kind { get; }

    /// <summary>Server receive time, truncated to milliseconds (the entry's encoding carries milliseconds).</summary>
    public DateTimeOffset ReceivedAt { get; }

    public long? Target { get; }

    public ArchivePayloadForm Form { get; }

    /// <summary>The inline payload (empty in digest form).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>SHA-256 of the payload.</summary>
    public byte[] Digest { get; }

    public long PayloadLength { get; }

    public PayloadSource Source { get; }

    /// <summary>The channel an envelope or epoch record belongs to (who may read it, docs/server.md "Archive").</summary>
    public string? Channel { get; }

    public long? SourceNumber { get; }

    /// <summary>
    /// An accepted envelope, stored at <paramref name="sequence"/> of <paramref name="channel"/>, as a log of
    /// <paramref name="form"/> records it (docs/protocol.md 16.2.1): the whole envelope, whose bytes stay in the
    /// envelope's row, or its summary (section 7.12), kept in the entry's row with the envelope beside the log.
    /// </summary>
    public static ArchiveRecord Envelope(string channel, long sequence, Vault.Envelopes.Envelope envelope, DateTimeOffset receivedAt, EnvelopeEntryForm form)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return form == EnvelopeEntryForm.Summary
            ? Inline(ArchiveEntryKind.Envelope, EnvelopeSummary.Of(envelope).Encode(), receivedAt, null, PayloadSource.Row, channel, sequence)
            : Inline(ArchiveEntryKind.Envelope, envelope.Encoded, receivedAt, null, PayloadSource.Envelope, channel, sequence);
    }

    /// <summary>An accepted epoch record of <paramref name="channel"/>.</summary>
    public static ArchiveRecord EpochRecord(string channel, long epoch, ReadOnlyMemory<byte> encoded, DateTimeOffset receivedAt) =>
        Inline(ArchiveEntryKind.EpochRecord, encoded, receivedAt, null, PayloadSource.EpochRecord, channel, epoch);

    /// <summary>A server-authored record kept in the entry's row (membership, policy and stage changes, cosignatures, key changes, publications).</summary>
    public static ArchiveRecord Stored(ArchiveEntryKind kind, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, long? target = null, string? channel = null) =>
        Inline(kind, payload, receivedAt, target, PayloadSource.Row, channel, null);

    /// <summary>
    /// An attachment's ciphertext by its SHA-256 and length (digest form; the bytes stay in the blob store). The
    /// attachment upload calls <c>ArchiveWriter.AppendAsync(db, review, [ArchiveRecord.AttachmentCiphertext(...)])</c>
    /// in the transaction that records the upload.
    /// </summary>
    public static ArchiveRecord AttachmentCiphertext(ReadOnlySpan<byte> sha256, long length, DateTimeOffset receivedAt, string? channel = null) =>
        DigestOf(ArchiveEntryKind.AttachmentCiphertext, sha256, length, receivedAt, null, channel);

    /// <summary>Any kind in digest form (payload kept elsewhere).</summary>
    public static ArchiveRecord DigestOf(ArchiveEntryKind kind, ReadOnlySpan<byte> sha256, long length, DateTimeOffset receivedAt, long? target = null, string? channel = null)
    {
        if (sha256.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(sha256));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        CheckTarget(kind, target);
        return new ArchiveRecord(kind, receivedAt, target, ArchivePayloadForm.Digest, ReadOnlyMemory<byte>.Empty, sha256.ToArray(), length, PayloadSource.External, channel, null);
    }

    /// <summary>
    /// The RFC 9162 leaf hash of this record's entry at <paramref name="index"/> of <paramref name="review"/>'s log:
    /// <c>SHA-256(0x00 || ArchiveEntry encoding)</c>, computed without copying the payload (equal to
    /// <see cref="ArchiveEntry.LeafHash"/>, tested).
    /// </summary>
    public byte[] LeafHash(Guid review, long index)
    {
        Span<byte> head = stackalloc byte[ArchiveEntry.MaxOverhead];
        var length = WriteHead(review, index, head);
        var hash = new byte[MerkleHash.Size];
        MerkleHash.Leaf(head[..length], Form == ArchivePayloadForm.Inline ? Payload.Span : Digest, hash);
        return hash;
    }

    /// <summary>The entry as the Vault decodes it (reads, bundles, tests).</summary>
    public ArchiveEntry ToEntry(Guid review, long index) => Form == ArchivePayloadForm.Inline
        ? ArchiveEntry.Create(review, index, Kind, ReceivedAt, Payload.Span, Target)
        : ArchiveEntry.CreateDigest(review, index, Kind, ReceivedAt, Digest, PayloadLength, Target);

    // version || review || index || kind || time || [target] || form || (u32 length | u64 length); the payload or digest follows.
    private int WriteHead(Guid review, long index, Span<byte> head)
    {
        head[0] = ArchiveEntry.Version;
        review.TryWriteBytes(head[1..], bigEndian: true, out _);
        BinaryPrimitives.WriteUInt64BigEndian(head[17..], (ulong)index);
        head[25] = (byte)Kind;
        BinaryPrimitives.WriteInt64BigEndian(head[26..], ReceivedAt.ToUnixTimeMilliseconds());
        var at = 34;
        if (Target is { } target)
        {
            BinaryPrimitives.WriteUInt64BigEndian(head[at..], (ulong)target);
            at += 8;
        }

        head[at++] = (byte)Form;
        if (Form == ArchivePayloadForm.Inline)
        {
            BinaryPrimitives.WriteUInt32BigEndian(head[at..], (uint)Payload.Length);
            return at + 4;
        }

        BinaryPrimitives.WriteUInt64BigEndian(head[at..], (ulong)PayloadLength);
        return at + 8;
    }

    private static ArchiveRecord Inline(ArchiveEntryKind kind, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, long? target, PayloadSource source, string? channel, long? number)
    {
        if (payload.Length > ArchiveEntry.MaxInlinePayloadSize)
        {
            throw new ArgumentException($"An inline payload is at most {ArchiveEntry.MaxInlinePayloadSize} bytes.", nameof(payload));
        }

        CheckTarget(kind, target);
        return new ArchiveRecord(kind, receivedAt, target, ArchivePayloadForm.Inline, payload, SHA256.HashData(payload.Span), payload.Length, source, channel, number);
    }

    private static void CheckTarget(ArchiveEntryKind kind, long? target)
    {
        if (kind == ArchiveEntryKind.None || !Enum.IsDefined(kind))
        {
            throw new ArgumentException("Undefined entry kind.", nameof(kind));
        }

        if (ArchiveEntry.HasTarget(kind) != target.HasValue || target < 0)
        {
            throw new ArgumentException($"A target index is required for corrections and retractions and refused for {kind}.", nameof(target));
        }
    }
}
