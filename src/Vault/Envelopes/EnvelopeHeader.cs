using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// The public, signed header of an envelope. Everything in it is visible to the server (it needs the
/// context to route and order) and bound to the body as associated data. Layout in docs/protocol.md,
/// "Envelope header".
/// </summary>
public sealed record EnvelopeHeader
{
    /// <summary>Most segments in one item.</summary>
    public const int MaxSegments = 1024;

    /// <summary>Protocol version (1).</summary>
    public byte Version { get; init; } = ProtocolConstants.Version;

    /// <summary>Cipher suite (1).</summary>
    public byte Suite { get; init; } = ProtocolConstants.Suite;

    /// <summary>The review.</summary>
    public required Guid Review { get; init; }

    /// <summary>The channel.</summary>
    public required ChannelId Channel { get; init; }

    /// <summary>The epoch whose key encrypts the body.</summary>
    public required uint Epoch { get; init; }

    /// <summary>The sending device.</summary>
    public required DeviceId Sender { get; init; }

    /// <summary>Per sender device and channel, strictly increasing from 1.</summary>
    public required ulong Counter { get; init; }

    /// <summary>Chosen by the client; a retry reuses it, so the server stores an item once.</summary>
    public required Guid ClientMessageId { get; init; }

    /// <summary>What the item is.</summary>
    public required ItemKind Kind { get; init; }

    /// <summary>The item's language.</summary>
    public required LanguageTag Language { get; init; }

    /// <summary>The sender's clock, milliseconds precision.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Length of the padded plaintext.</summary>
    public required int PaddedLength { get; init; }

    /// <summary>Number of segments.</summary>
    public required int SegmentCount { get; init; }

    /// <summary>RFC 9162 root of the segment commitments.</summary>
    public required ReadOnlyMemory<byte> CommitmentRoot { get; init; }

    /// <summary>The body's XChaCha20-Poly1305 nonce.</summary>
    public required ReadOnlyMemory<byte> Nonce { get; init; }

    /// <summary>Bytes after the variable-length fields: the commitment root, then the nonce, end the header.</summary>
    internal const int CommitmentRootOffsetFromEnd = 32 + XChaCha20Poly1305.NonceSize;

    /// <summary>The longest encoded header: channel and language at their maximum lengths.</summary>
    internal const int MaxEncodedLength = FixedEncodedLength + ChannelId.MaxLength + LanguageTag.MaxLength;

    /// <summary>The shortest encoded header: a one-byte channel and a two-byte language tag.</summary>
    internal const int MinEncodedLength = FixedEncodedLength + 1 + 2;

    // Everything but the two strings' characters: version, suite, review, channel length, epoch, sender,
    // counter, message id, kind, language length, time, padded length, segment count, root, nonce.
    private const int FixedEncodedLength = 1 + 1 + 16 + 1 + 4 + DeviceId.Size + 8 + 16 + 1 + 1 + 8 + 4 + 2 + 32 + XChaCha20Poly1305.NonceSize;

    /// <summary>The size <see cref="Write"/> produces for a header in <paramref name="channel"/> and <paramref name="language"/>.</summary>
    internal static int EncodedLength(ChannelId channel, LanguageTag language) =>
        FixedEncodedLength + channel.Value.Length + language.Value.Length;

    /// <summary>
    /// Writes the canonical header into <paramref name="destination"/>, which must be exactly
    /// <see cref="EncodedLength"/> bytes. <see cref="CommitmentRoot"/> and <see cref="Nonce"/> may already be the
    /// destination's last bytes (the sealer derives them in place).
    /// </summary>
    internal void Write(Span<byte> destination)
    {
        var w = new CanonicalSpanWriter(destination);
        w.WriteByte(Version);
        w.WriteByte(Suite);
        EpochRecord.WriteContext(ref w, Review, Channel);
        w.WriteUInt32(Epoch);
        w.WriteBytes(Sender.Bytes);
        w.WriteUInt64(Counter);
        w.WriteGuid(ClientMessageId);
        w.WriteByte((byte)Kind);
        w.WriteAscii(Language.Value);
        w.WriteInt64(CreatedAt.ToUnixTimeMilliseconds());
        w.WriteUInt32((uint)PaddedLength);
        w.WriteUInt16((ushort)SegmentCount);
        w.WriteBytes(CommitmentRoot.Span);
        w.WriteBytes(Nonce.Span);
        if (w.Length != destination.Length)
        {
            throw new InvalidOperationException("The envelope header was not the size computed for it.");
        }
    }

    /// <summary>
    /// Reads a header from <paramref name="r"/>, a reader over <paramref name="source"/> from its start. The
    /// commitment root and nonce of the result are slices of <paramref name="source"/>, not copies.
    /// </summary>
    internal static EnvelopeError TryRead(ref CanonicalReader r, ReadOnlyMemory<byte> source, out EnvelopeHeader? header)
    {
        header = null;
        if (!r.TryReadByte(out var version) || !r.TryReadByte(out var suite))
        {
            return EnvelopeError.Malformed;
        }

        if (version != ProtocolConstants.Version || suite != ProtocolConstants.Suite)
        {
            return EnvelopeError.UnsupportedVersion;
        }

        if (!r.TryReadGuid(out var review) ||
            !r.TryReadAscii(1, ChannelId.MaxLength, ChannelId.IsAllowed, out var channelName) || !ChannelId.TryParse(channelName, out var channel) ||
            !r.TryReadUInt32(out var epoch) ||
            !r.TryReadBytes(DeviceId.Size, out var sender) ||
            !r.TryReadUInt64(out var counter) || counter == 0 ||
            !r.TryReadGuid(out var clientMessageId) ||
            !r.TryReadByte(out var kind) || !ItemKinds.IsDefined(kind) ||
            !r.TryReadAscii(2, LanguageTag.MaxLength, LanguageTag.IsAllowedByte, out var languageText) ||
            !LanguageTag.TryParse(languageText, out var language) || language.Value != languageText ||
            !r.TryReadInt64(out var createdMs) || createdMs is < 0 or > 253402300799999 ||
            !r.TryReadUInt32(out var paddedLength) ||
            paddedLength is < Padding.MinimumPaddedLength or > Padding.MaxPaddedLength ||
            Padding.PaddedLength((int)paddedLength) != paddedLength ||
            !r.TryReadUInt16(out var segmentCount) || segmentCount is 0 or > MaxSegments ||
            !r.TryReadBytes(32, out _) ||
            !r.TryReadBytes(XChaCha20Poly1305.NonceSize, out _))
        {
            return EnvelopeError.Malformed;
        }

        var rootOffset = r.Position - CommitmentRootOffsetFromEnd;

        header = new EnvelopeHeader
        {
            Review = review,
            Channel = channel,
            Epoch = epoch,
            Sender = DeviceId.FromBytes(sender),
            Counter = counter,
            ClientMessageId = clientMessageId,
            Kind = (ItemKind)kind,
            Language = language,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
            PaddedLength = (int)paddedLength,
            SegmentCount = segmentCount,
            CommitmentRoot = source.Slice(rootOffset, 32),
            Nonce = source.Slice(rootOffset + 32, XChaCha20Poly1305.NonceSize),
        };
        return EnvelopeError.None;
    }
}
