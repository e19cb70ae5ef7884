using System.Buffers.Binary;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Keys;

/// <summary>
/// Human-comparable fingerprints. A device fingerprint is 30 decimal digits in six groups of five, taken from
/// BLAKE2b-240 of <c>version || signing key || agreement key</c> (personalisation <c>sdlg.fingerprint</c>):
/// each group is a 5-byte big-endian chunk modulo 100000, about 99.6 bits in all.
/// </summary>
public static class Fingerprint
{
    private const int Groups = 6;
    private const int ChunkSize = 5;

    /// <summary>The 30-digit fingerprint of a device, e.g. <c>04321 99102 ...</c>.</summary>
    public static string Of(DevicePublicKeys device) => string.Join(' ', Digits(device));

    /// <summary>The six five-digit groups of a device's fingerprint.</summary>
    internal static string[] Digits(DevicePublicKeys device)
    {
        Span<byte> input = stackalloc byte[1 + 32 + 32];
        input[0] = ProtocolConstants.Version;
        device.SigningKey.CopyTo(input[1..]);
        device.AgreementKey.CopyTo(input[33..]);
        Span<byte> hash = stackalloc byte[Groups * ChunkSize];
        Blake2b.Hash(ProtocolConstants.FingerprintPersonal, input, hash);

        var groups = new string[Groups];
        Span<byte> chunk = stackalloc byte[8];
        for (var i = 0; i < Groups; i++)
        {
            chunk.Clear();
            hash.Slice(i * ChunkSize, ChunkSize).CopyTo(chunk[3..]);
            var value = BinaryPrimitives.ReadUInt64BigEndian(chunk) % 100_000;
            groups[i] = value.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
        }

        return groups;
    }
}
