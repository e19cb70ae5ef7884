using System.Security.Cryptography;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// One leaf of a review's archive log: what happened (kind and payload, or the payload's digest), where in
/// the log (review and index), and when the server received it. Nothing is ever removed: a correction or
/// retraction is a new entry naming the earlier index. The leaf hash is <c>MerkleHash.Leaf(Encode())</c>.
/// </summary>
/// <remarks>
/// Encoding (docs/protocol.md, section 15.2), big-endian:
/// <c>version(1)=1 || review(16) || index(u64) || kind(1) || received at(i64 ms) || [target(u64) for
/// corrections and retractions] || form(1) || (form 0: u32 length || payload) | (form 1: u64 length || SHA-256(32))</c>.
/// </remarks>
public sealed class ArchiveEntry
{
    /// <summary>Version byte of this encoding.</summary>
    public const byte Version = 1;

    /// <summary>Largest inline payload: an envelope (1 MiB + 1024) or an epoch record (1 MiB) with room to spare.</summary>
    public const int MaxInlinePayloadSize = (1 << 20) + (64 * 1024);

    /// <summary>Size of everything but the payload, for a correction or retraction in inline form.</summary>
    public const int MaxOverhead = 1 + 16 + 8 + 1 + 8 + 8 + 1 + 8 + 32;

    /// <summary>Largest encoding a decoder accepts.</summary>
    public const int MaxEncodedSize = MaxOverhead + MaxInlinePayloadSize;

    /// <summary>Largest index: an RFC 9162 tree here has at most 2^63 - 1 leaves.</summary>
    public const long MaxIndex = long.MaxValue - 1;

    private const long MaxTimestamp = 253402300799999;

    private readonly byte[] _payload;
    private readonly byte[] _digest;

    private ArchiveEntry(Guid review, long index, ArchiveEntryKind kind, DateTimeOffset receivedAt, long? target, ArchivePayloadForm form, byte[] payload, byte[] digest, long payloadLength)
    {
        Review = review;
        Index = index;
        Kind = kind;
        ReceivedAt = receivedAt;
        Target = target;
        Form = form;
        _payload = payload;
        _digest = digest;
        PayloadLength = payloadLength;
    }

    /// <summary>The review whose log holds this entry.</summary>
    public Guid Review { get; }

    /// <summary>Position in the log, from 0; the entry is leaf <see cref="Index"/>.</summary>
    public long Index { get; }

    /// <summary>What the entry records.</summary>
    public ArchiveEntryKind Kind { get; }

    /// <summary>When the server received it (server clock, whole milliseconds, UTC).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The earlier entry a correction or retraction refers to; null for every other kind.</summary>
    public long? Target { get; }

    /// <summary>Whether the payload is inline or only its digest.</summary>
    public ArchivePayloadForm Form { get; }

    /// <summary>The payload bytes (inline form); empty in digest form.</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>SHA-256 of the payload (computed for the inline form, carried for the digest form).</summary>
    public ReadOnlySpan<byte> PayloadDigest => _digest;

    /// <summary>Length of the payload in bytes, in either form.</summary>
    public long PayloadLength { get; }

    /// <summary>An entry carrying its payload inline.</summary>
    public static ArchiveEntry Create(Guid review, long index, ArchiveEntryKind kind, DateTimeOffset receivedAt, ReadOnlySpan<byte> payload, long? target = null)
    {
        if (payload.Length > MaxInlinePayloadSize)
        {
            throw new ArgumentException($"An inline payload is at most {MaxInlinePayloadSize} bytes; use the digest form.", nameof(payload));
        }

        Check(kind, index, receivedAt, target);
        return new ArchiveEntry(review, index, kind, Truncate(receivedAt), target, ArchivePayloadForm.Inline, payload.ToArray(), SHA256.HashData(payload), payload.Length);
    }

    /// <summary>An entry carrying only the payload's SHA-256 and length (attachments, large payloads kept elsewhere).</summary>
    public static ArchiveEntry CreateDigest(Guid review, long index, ArchiveEntryKind kind, DateTimeOffset receivedAt, ReadOnlySpan<byte> sha256, long payloadLength, long? target = null)
    {
        if (sha256.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(sha256));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        Check(kind, index, receivedAt, target);
        return new ArchiveEntry(review, index, kind, Truncate(receivedAt), target, ArchivePayloadForm.Digest, [], sha256.ToArray(), payloadLength);
    }

    /// <summary>True when the kind refers to an earlier entry (correction, retraction).</summary>
    public static bool HasTarget(ArchiveEntryKind kind) => kind is ArchiveEntryKind.Correction or ArchiveEntryKind.Retraction;

    /// <summary>The canonical encoding, the leaf data of the log.</summary>
    public byte[] Encode()
    {
        var writer = new CanonicalWriter(MaxOverhead + _payload.Length);
        writer.WriteByte(Version);
        writer.WriteGuid(Review);
        writer.WriteUInt64((ulong)Index);
        writer.WriteByte((byte)Kind);
        writer.WriteInt64(ReceivedAt.ToUnixTimeMilliseconds());
        if (Target is { } target)
        {
            writer.WriteUInt64((ulong)target);
        }

        writer.WriteByte((byte)Form);
        if (Form == ArchivePayloadForm.Inline)
        {
            writer.WriteLongBytes(_payload);
        }
        else
        {
            writer.WriteUInt64((ulong)PayloadLength);
            writer.WriteBytes(_digest);
        }

        return writer.ToArray();
    }

    /// <summary>The RFC 9162 leaf hash, <c>SHA-256(0x00 || Encode())</c>.</summary>
    public byte[] LeafHash() => MerkleHash.Leaf(Encode());

    /// <summary>True when <paramref name="payload"/> is this entry's payload (length and SHA-256, constant time).</summary>
    public bool MatchesPayload(ReadOnlySpan<byte> payload) =>
        payload.Length == PayloadLength && CryptographicOperations.FixedTimeEquals(SHA256.HashData(payload), _digest);

    /// <summary>
    /// Decodes an entry: length at most <see cref="MaxEncodedSize"/>, version 1, a defined kind, a time in
    /// range, an index below 2^63 - 1, a target (only for corrections and retractions) below the entry's own
    /// index, form 0 or 1, and no trailing bytes. Never throws on hostile input.
    /// </summary>
    public static Result<ArchiveEntry, ArchiveEntryError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize)
        {
            return ArchiveEntryError.Malformed;
        }

        var reader = new CanonicalReader(encoded);
        if (!reader.TryReadByte(out var version))
        {
            return ArchiveEntryError.Malformed;
        }

        if (version != Version)
        {
            return ArchiveEntryError.UnsupportedVersion;
        }

        if (!reader.TryReadGuid(out var review) || !reader.TryReadUInt64(out var index) || index > MaxIndex ||
            !reader.TryReadByte(out var kindByte) || !Enum.IsDefined((ArchiveEntryKind)kindByte) || kindByte == 0 ||
            !reader.TryReadInt64(out var received) || received is < 0 or > MaxTimestamp)
        {
            return ArchiveEntryError.Malformed;
        }

        var kind = (ArchiveEntryKind)kindByte;
        long? target = null;
        if (HasTarget(kind))
        {
            if (!reader.TryReadUInt64(out var t) || t >= index)
            {
                return ArchiveEntryError.Malformed;
            }

            target = (long)t;
        }

        if (!reader.TryReadByte(out var form))
        {
            return ArchiveEntryError.Malformed;
        }

        byte[] payload, digest;
        long length;
        switch ((ArchivePayloadForm)form)
        {
            case ArchivePayloadForm.Inline:
                if (!reader.TryReadLongBytes(0, MaxInlinePayloadSize, out var inline))
                {
                    return ArchiveEntryError.Malformed;
                }

                payload = inline.ToArray();
                digest = SHA256.HashData(inline);
                length = inline.Length;
                break;
            case ArchivePayloadForm.Digest:
                if (!reader.TryReadUInt64(out var declared) || declared > long.MaxValue || !reader.TryReadBytes(MerkleHash.Size, out var hash))
                {
                    return ArchiveEntryError.Malformed;
                }

                payload = [];
                digest = hash.ToArray();
                length = (long)declared;
                break;
            default:
                return ArchiveEntryError.Malformed;
        }

        if (!reader.End)
        {
            return ArchiveEntryError.Malformed;
        }

        return new ArchiveEntry(
            review, (long)index, kind, DateTimeOffset.FromUnixTimeMilliseconds(received), target, (ArchivePayloadForm)form, payload, digest, length);
    }

    /// <inheritdoc />
    public override string ToString() => $"ArchiveEntry {Index} {Kind}";

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static void Check(ArchiveEntryKind kind, long index, DateTimeOffset receivedAt, long? target)
    {
        if (kind == ArchiveEntryKind.None || !Enum.IsDefined(kind))
        {
            throw new ArgumentException("Undefined entry kind.", nameof(kind));
        }

        if (index is < 0 or > MaxIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "The index must be in [0, 2^63 - 2].");
        }

        var ms = receivedAt.ToUnixTimeMilliseconds();
        if (ms is < 0 or > MaxTimestamp)
        {
            throw new ArgumentOutOfRangeException(nameof(receivedAt), receivedAt, "The time must be between 1970 and 9999.");
        }

        if (HasTarget(kind) != target.HasValue)
        {
            throw new ArgumentException($"A target index is required for corrections and retractions and refused for {kind}.", nameof(target));
        }

        if (target is { } t && (t < 0 || t >= index))
        {
            throw new ArgumentOutOfRangeException(nameof(target), t, "A correction or retraction names an earlier entry.");
        }
    }
}
