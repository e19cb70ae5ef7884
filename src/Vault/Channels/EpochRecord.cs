using System.Collections.Immutable;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// The signed record that opens an epoch of a channel: who the member devices are, the epoch key wrapped to
/// each, a commitment to that key, optional history grants, linked to the previous record by hash and signed
/// by a device allowed to manage the channel. Encoding in docs/protocol.md, "Epoch record".
/// </summary>
public sealed class EpochRecord
{
    /// <summary>Most member devices in one epoch.</summary>
    public const int MaxMembers = 1024;

    /// <summary>Largest encoded record accepted.</summary>
    public const int MaxEncodedSize = 1024 * 1024;

    internal const int WrappedKeySize = 1 + 16 + 1 + ChannelId.MaxLength + 4 + EpochKey.Size + X25519.SealOverhead;

    internal EpochRecord(
        Guid review, ChannelId channel, uint epoch, ReadOnlyMemory<byte> previousRecordHash, DeviceId author, DateTimeOffset createdAt,
        ReadOnlyMemory<byte> keyCommitment, ImmutableArray<EpochMember> members, ImmutableArray<HistoryGrant> historyGrants,
        ReadOnlyMemory<byte> signedPart, ReadOnlyMemory<byte> signature)
    {
        Review = review;
        Channel = channel;
        Epoch = epoch;
        PreviousRecordHash = previousRecordHash;
        Author = author;
        CreatedAt = createdAt;
        KeyCommitment = keyCommitment;
        Members = members;
        HistoryGrants = historyGrants;
        SignedPart = signedPart;
        Signature = signature;
        Encoded = new ReadOnlyMemory<byte>([.. signedPart.Span, .. signature.Span]);
        Hash = new byte[32];
        Blake2b.Hash(ProtocolConstants.EpochRecordHashPersonal, Encoded.Span, Hash);
    }

    /// <summary>The review.</summary>
    public Guid Review { get; }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>The epoch number, 0 for the first.</summary>
    public uint Epoch { get; }

    /// <summary>Hash of the previous record; 32 zero bytes for epoch 0.</summary>
    public ReadOnlyMemory<byte> PreviousRecordHash { get; }

    /// <summary>The device that signed the record.</summary>
    public DeviceId Author { get; }

    /// <summary>The author's clock when it signed (milliseconds precision).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>BLAKE2b commitment to the epoch key, keyed with that key.</summary>
    public ReadOnlyMemory<byte> KeyCommitment { get; }

    /// <summary>Member devices with their wrapped keys.</summary>
    public ImmutableArray<EpochMember> Members { get; }

    /// <summary>Earlier keys granted to members who joined now.</summary>
    public ImmutableArray<HistoryGrant> HistoryGrants { get; }

    /// <summary>The whole encoding.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>BLAKE2b-256 of <see cref="Encoded"/> (personal <c>sdlg.epoch.hash</c>): the next record links to it.</summary>
    public byte[] Hash { get; }

    internal ReadOnlyMemory<byte> SignedPart { get; }

    internal ReadOnlyMemory<byte> Signature { get; }

    /// <summary>Decodes a record's structure (bounded, typed errors); trust is decided by <see cref="EpochChain"/>.</summary>
    public static Result<EpochRecord, EpochError> Decode(ReadOnlySpan<byte> encoded) => EpochRecordCodec.Decode(encoded);

    /// <summary>True when the record's signature verifies with its author's listed card (no authorisation check).</summary>
    public bool HasValidAuthorSignature() => FindMember(Author) is { } author && EpochChain.VerifySignature(this, author.Device);

    /// <summary>The member entry of a device, if listed.</summary>
    public EpochMember? FindMember(DeviceId device)
    {
        foreach (var member in Members)
        {
            if (member.Device.Id == device)
            {
                return member;
            }
        }

        return null;
    }

    internal static void WriteContext(CanonicalWriter writer, Guid review, ChannelId channel)
    {
        writer.WriteGuid(review);
        writer.WriteAscii(channel.Value);
    }

    /// <summary>The same bytes as <see cref="WriteContext(CanonicalWriter, Guid, ChannelId)"/>, into a span.</summary>
    internal static void WriteContext(ref CanonicalSpanWriter writer, Guid review, ChannelId channel)
    {
        writer.WriteGuid(review);
        writer.WriteAscii(channel.Value);
    }

    /// <summary>Encoded size of the context.</summary>
    internal static int ContextLength(ChannelId channel) => 16 + CanonicalSpanWriter.AsciiLength(channel.Value);
}
