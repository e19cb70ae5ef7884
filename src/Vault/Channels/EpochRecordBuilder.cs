using System.Collections.Immutable;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>A device to include in a new epoch.</summary>
/// <param name="Device">The device's verified public card.</param>
/// <param name="MayManage">Whether it may sign later epoch records.</param>
public sealed record MemberDevice(DevicePublicKeys Device, bool MayManage = false);

/// <summary>
/// Authoring of epoch records by a managing device: a fresh random key for every epoch, wrapped to every
/// listed device and to nobody else, so removing a member is simply a new epoch without it.
/// </summary>
public static class EpochRecordBuilder
{
    /// <summary>Opens epoch 0 of a channel.</summary>
    public static (EpochRecord Record, EpochKey Key) Genesis(
        DeviceIdentity author, Guid review, ChannelId channel, IReadOnlyList<MemberDevice> members, DateTimeOffset createdAt) =>
        Build(author, review, channel, 0, new byte[32], members, [], createdAt, RandomSource.Default);

    /// <summary>
    /// Opens the epoch after <paramref name="previous"/> with a new key. <paramref name="historyFor"/> names
    /// newly listed devices that also receive the keys of the epochs from <c>FirstEpoch</c> on, taken from
    /// <paramref name="authorKeyring"/>: the author's explicit, signed choice.
    /// </summary>
    public static (EpochRecord Record, EpochKey Key) Next(
        DeviceIdentity author, EpochRecord previous, IReadOnlyList<MemberDevice> members, DateTimeOffset createdAt,
        ChannelKeyring? authorKeyring = null, IReadOnlyList<(DeviceId Device, uint FirstEpoch)>? historyFor = null)
    {
        var grants = new List<(DevicePublicKeys, IReadOnlyList<EpochKey>, uint)>();
        foreach (var (device, firstEpoch) in historyFor ?? [])
        {
            var member = members.FirstOrDefault(m => m.Device.Id == device)
                ?? throw new ArgumentException($"History can only be granted to a member of the new epoch; {device} is not listed.", nameof(historyFor));
            if (authorKeyring is null)
            {
                throw new ArgumentNullException(nameof(authorKeyring), "Granting history needs the author's keyring.");
            }

            if (previous.Epoch - firstEpoch + 1 > HistoryKeys.MaxEpochs)
            {
                throw new ArgumentException($"At most {HistoryKeys.MaxEpochs} earlier epochs can be granted at once.", nameof(historyFor));
            }

            var keys = new List<EpochKey>();
            for (var e = firstEpoch; e <= previous.Epoch; e++)
            {
                keys.Add(authorKeyring.Find(e) ?? throw new InvalidOperationException($"The author does not hold the key of epoch {e}."));
            }

            grants.Add((member.Device, keys, firstEpoch));
        }

        return Build(author, previous.Review, previous.Channel, previous.Epoch + 1, previous.Hash, members, grants, createdAt, RandomSource.Default);
    }

    internal static (EpochRecord Record, EpochKey Key) Build(
        DeviceIdentity author, Guid review, ChannelId channel, uint epoch, ReadOnlySpan<byte> previousHash,
        IReadOnlyList<MemberDevice> members, IReadOnlyList<(DevicePublicKeys Device, IReadOnlyList<EpochKey> Keys, uint FirstEpoch)> grants,
        DateTimeOffset createdAt, IRandomSource random)
    {
        if (members.Count is 0 or > EpochRecord.MaxMembers)
        {
            throw new ArgumentException($"An epoch lists 1 to {EpochRecord.MaxMembers} devices.", nameof(members));
        }

        if (members.Select(m => m.Device.Id).Distinct().Count() != members.Count)
        {
            throw new ArgumentException("A device is listed twice.", nameof(members));
        }

        if (!members.Any(m => m.Device.Id == author.Id))
        {
            throw new ArgumentException("The author must be a member of the epoch it opens.", nameof(members));
        }

        if (createdAt.ToUnixTimeMilliseconds() < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(createdAt), "Records are dated after 1970.");
        }

        var key = EpochKey.Generate(review, channel, epoch, random);
        try
        {
            var entries = members.Select(m => new EpochMember(m.Device, m.MayManage, KeyWrap.Wrap(key, m.Device))).ToImmutableArray();
            var historyGrants = grants.Select(g => new HistoryGrant(g.Device.Id, g.FirstEpoch, HistoryKeys.Seal(g.Keys, g.Device))).ToImmutableArray();
            var time = DateTimeOffset.FromUnixTimeMilliseconds(createdAt.ToUnixTimeMilliseconds());
            var commitment = key.Commitment();

            var writer = new CanonicalWriter(512 + members.Count * 256);
            writer.WriteBytes(ProtocolConstants.EpochRecordContext);
            var contextLength = writer.Length;
            EpochRecordCodec.WriteSignedPart(writer, review, channel, epoch, previousHash, author.Id, time, commitment, entries, historyGrants);
            var signature = new byte[Ed25519.SignatureSize];
            author.Sign(writer.WrittenSpan, signature);
            var signedPart = writer.WrittenSpan[contextLength..].ToArray();
            if (signedPart.Length + signature.Length > EpochRecord.MaxEncodedSize)
            {
                throw new ArgumentException($"The record would exceed {EpochRecord.MaxEncodedSize} bytes; grant less history or list fewer devices.", nameof(members));
            }

            var record = new EpochRecord(review, channel, epoch, previousHash.ToArray(), author.Id, time, commitment, entries, historyGrants, signedPart, signature);
            return (record, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
