using System.Collections.Immutable;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>Encoding and bounded decoding of <see cref="EpochRecord"/>; decoding checks structure, not trust.</summary>
internal static class EpochRecordCodec
{
    public static void WriteSignedPart(
        CanonicalWriter w, Guid review, ChannelId channel, uint epoch, ReadOnlySpan<byte> previousHash, DeviceId author,
        DateTimeOffset createdAt, ReadOnlySpan<byte> keyCommitment, IReadOnlyList<EpochMember> members, IReadOnlyList<HistoryGrant> grants)
    {
        w.WriteByte(ProtocolConstants.Version);
        w.WriteByte(ProtocolConstants.Suite);
        EpochRecord.WriteContext(w, review, channel);
        w.WriteUInt32(epoch);
        w.WriteBytes(previousHash);
        w.WriteBytes(author.Bytes);
        w.WriteInt64(createdAt.ToUnixTimeMilliseconds());
        w.WriteBytes(keyCommitment);
        w.WriteUInt16((ushort)members.Count);
        foreach (var member in members)
        {
            w.WriteBytes(member.Device.Encode());
            w.WriteByte(member.MayManage ? (byte)1 : (byte)0);
            w.WriteUInt16((ushort)member.MemberKeyWrappedEpochKey.Length);
            w.WriteBytes(member.MemberKeyWrappedEpochKey.Span);
        }

        w.WriteUInt16((ushort)grants.Count);
        foreach (var grant in grants)
        {
            w.WriteBytes(grant.Recipient.Bytes);
            w.WriteUInt32(grant.FirstEpoch);
            w.WriteUInt32((uint)grant.RecipientKeyWrappedHistoryKeys.Length);
            w.WriteBytes(grant.RecipientKeyWrappedHistoryKeys.Span);
        }
    }

    public static Result<EpochRecord, EpochError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > EpochRecord.MaxEncodedSize)
        {
            return EpochError.Malformed;
        }

        var r = new CanonicalReader(encoded);
        if (!r.TryReadByte(out var version) || !r.TryReadByte(out var suite))
        {
            return EpochError.Malformed;
        }

        if (version != ProtocolConstants.Version || suite != ProtocolConstants.Suite)
        {
            return EpochError.UnsupportedVersion;
        }

        if (!r.TryReadGuid(out var review) ||
            !r.TryReadAscii(1, ChannelId.MaxLength, ChannelId.IsAllowed, out var channelName) ||
            !r.TryReadUInt32(out var epoch) ||
            !r.TryReadBytes(32, out var previousHash) ||
            !r.TryReadBytes(DeviceId.Size, out var author) ||
            !r.TryReadInt64(out var createdMs) || createdMs is < 0 or > 253402300799999 ||
            !r.TryReadBytes(32, out var commitment) ||
            !r.TryReadUInt16(out var memberCount) || memberCount is 0 or > EpochRecord.MaxMembers)
        {
            return EpochError.Malformed;
        }

        var members = ImmutableArray.CreateBuilder<EpochMember>(memberCount);
        for (var i = 0; i < memberCount; i++)
        {
            if (!r.TryReadBytes(DevicePublicKeys.EncodedSize, out var card) ||
                !r.TryReadByte(out var flags) || flags > 1 ||
                !r.TryReadUInt16(out var wrappedLength) || wrappedLength > EpochRecord.WrappedKeySize ||
                !r.TryReadBytes(wrappedLength, out var wrapped))
            {
                return EpochError.Malformed;
            }

            var device = DevicePublicKeys.Decode(card);
            if (!device.IsSuccess)
            {
                return device.Error == KeyError.UnsupportedVersion ? EpochError.UnsupportedVersion : EpochError.Invalid;
            }

            members.Add(new EpochMember(device.Value, flags == 1, wrapped.ToArray()));
        }

        if (!r.TryReadUInt16(out var grantCount) || grantCount > memberCount)
        {
            return EpochError.Malformed;
        }

        var grants = ImmutableArray.CreateBuilder<HistoryGrant>(grantCount);
        for (var i = 0; i < grantCount; i++)
        {
            if (!r.TryReadBytes(DeviceId.Size, out var recipient) ||
                !r.TryReadUInt32(out var firstEpoch) || firstEpoch >= epoch ||
                !r.TryReadLongBytes(X25519.SealOverhead, HistoryKeys.MaxSealedSize, out var sealedKeys))
            {
                return EpochError.Malformed;
            }

            grants.Add(new HistoryGrant(DeviceId.FromBytes(recipient), firstEpoch, sealedKeys.ToArray()));
        }

        var signedPart = r.Consumed.ToArray();
        if (!r.TryReadBytes(Ed25519.SignatureSize, out var signature) || !r.End)
        {
            return EpochError.Malformed;
        }

        if (!ChannelId.TryParse(channelName, out var channel))
        {
            return EpochError.Malformed;
        }

        return new EpochRecord(
            review, channel, epoch, previousHash.ToArray(), DeviceId.FromBytes(author), DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
            commitment.ToArray(), members.MoveToImmutable(), grants.MoveToImmutable(), signedPart, signature.ToArray());
    }
}
