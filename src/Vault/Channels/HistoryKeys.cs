using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// Earlier epoch keys sealed to a newly added device: <c>version review channel recipient count
/// (epoch key)*</c>, sealed with <c>crypto_box_seal</c> to the recipient's agreement key.
/// </summary>
internal static class HistoryKeys
{
    public const int MaxEpochs = 4096;
    public const int MaxSealedSize = 1 + 16 + 1 + ChannelId.MaxLength + DeviceId.Size + 2 + MaxEpochs * (4 + EpochKey.Size) + X25519.SealOverhead;

    public static byte[] Seal(IReadOnlyList<EpochKey> keys, DevicePublicKeys recipient)
    {
        var plain = new CanonicalWriter(64 + keys.Count * 36);
        WritePrefix(plain, keys[0].Review, keys[0].Channel, recipient.Id, (ushort)keys.Count);
        var buffer = GC.AllocateArray<byte>(plain.Length + keys.Count * (4 + EpochKey.Size), pinned: true);
        try
        {
            plain.WrittenSpan.CopyTo(buffer);
            var offset = plain.Length;
            foreach (var key in keys)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), key.Epoch);
                key.Export(buffer.AsSpan(offset + 4, EpochKey.Size));
                offset += 4 + EpochKey.Size;
            }

            return X25519.Seal(recipient.AgreementKey, buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Opens a grant; null on any failure. Keys are returned in the order sealed.</summary>
    public static List<EpochKey>? TryOpen(ReadOnlySpan<byte> sealedBox, DeviceIdentity me, Guid review, ChannelId channel)
    {
        if (sealedBox.Length <= X25519.SealOverhead || sealedBox.Length > MaxSealedSize)
        {
            return null;
        }

        var plain = GC.AllocateArray<byte>(sealedBox.Length - X25519.SealOverhead, pinned: true);
        var keys = new List<EpochKey>();
        try
        {
            if (!me.TryOpenSealed(sealedBox, plain))
            {
                return null;
            }

            var reader = new CanonicalReader(plain);
            var prefix = new CanonicalWriter(80);
            WritePrefix(prefix, review, channel, me.Id, 0);
            var prefixLength = prefix.Length - 2;
            if (!reader.TryReadBytes(prefixLength, out var actualPrefix) || !actualPrefix.SequenceEqual(prefix.WrittenSpan[..prefixLength]) ||
                !reader.TryReadUInt16(out var count) || count is 0 or > MaxEpochs || reader.Remaining != count * (4 + EpochKey.Size))
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                _ = reader.TryReadUInt32(out var epoch);
                _ = reader.TryReadBytes(EpochKey.Size, out var key);
                keys.Add(EpochKey.FromBytes(review, channel, epoch, key));
            }

            var result = keys;
            keys = [];
            return result;
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }

            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static void WritePrefix(CanonicalWriter writer, Guid review, ChannelId channel, DeviceId recipient, ushort count)
    {
        writer.WriteByte(ProtocolConstants.Version);
        EpochRecord.WriteContext(writer, review, channel);
        writer.WriteBytes(recipient.Bytes);
        writer.WriteUInt16(count);
    }
}
