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

    internal void Write(CanonicalWriter w)
    {
        w.WriteByte(Version);
        w.WriteByte(Suite);
        EpochRecord.WriteContext(w, Review, Channel);
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
    }

    internal static EnvelopeError TryRead(ref CanonicalReader r, out EnvelopeHeader? header)
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
            !r.TryReadBytes(32, out var root) ||
            !r.TryReadBytes(XChaCha20Poly1305.NonceSize, out var nonce))
        {
            return EnvelopeError.Malformed;
        }

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
            CommitmentRoot = root.ToArray(),
            Nonce = nonce.ToArray(),
        };
        return EnvelopeError.None;
    }
}
