using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// Sealing an epoch key to a member device. The sealed plaintext repeats the key's context
/// (<c>version review channel epoch key</c>) so a wrap lifted into another record does not open there.
/// </summary>
internal static class KeyWrap
{
    public static byte[] Wrap(EpochKey key, DevicePublicKeys recipient)
    {
        var plain = new CanonicalWriter(96);
        plain.WriteByte(ProtocolConstants.Version);
        EpochRecord.WriteContext(plain, key.Review, key.Channel);
        plain.WriteUInt32(key.Epoch);
        var offset = plain.Length;
        // Pinned so the GC never leaves a copy of the key behind before it is wiped.
        var buffer = GC.AllocateArray<byte>(offset + EpochKey.Size, pinned: true);
        plain.WrittenSpan.CopyTo(buffer);
        try
        {
            key.Export(buffer.AsSpan(offset, EpochKey.Size));
            return X25519.Seal(recipient.AgreementKey, buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public static EpochKey? TryUnwrap(ReadOnlySpan<byte> sealedBox, DeviceIdentity me, Guid review, ChannelId channel, uint epoch)
    {
        if (sealedBox.Length <= X25519.SealOverhead || sealedBox.Length > EpochRecord.WrappedKeySize)
        {
            return null;
        }

        var plain = GC.AllocateArray<byte>(sealedBox.Length - X25519.SealOverhead, pinned: true);
        try
        {
            if (!me.TryOpenSealed(sealedBox, plain))
            {
                return null;
            }

            var expected = new CanonicalWriter(64);
            expected.WriteByte(ProtocolConstants.Version);
            EpochRecord.WriteContext(expected, review, channel);
            expected.WriteUInt32(epoch);
            if (plain.Length != expected.Length + EpochKey.Size || !plain.AsSpan(0, expected.Length).SequenceEqual(expected.WrittenSpan))
            {
                return null;
            }

            return EpochKey.FromBytes(review, channel, epoch, plain.AsSpan(expected.Length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
