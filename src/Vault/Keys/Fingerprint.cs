using System.Buffers.Binary;
using System.Text;
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

/// <summary>
/// The safety number of two devices: both 30-digit fingerprints, the smaller first, as 60 digits in twelve
/// groups of five. Both sides compute the same number; two experts read it to each other on a call.
/// </summary>
public static class SafetyNumber
{
    /// <summary>Computes the safety number of two devices; symmetric in its arguments.</summary>
    public static string Of(DevicePublicKeys a, DevicePublicKeys b)
    {
        var first = string.Concat(Fingerprint.Digits(a));
        var second = string.Concat(Fingerprint.Digits(b));
        if (string.CompareOrdinal(first, second) > 0)
        {
            (first, second) = (second, first);
        }

        var all = first + second;
        var builder = new StringBuilder(all.Length + 12);
        for (var i = 0; i < all.Length; i += 5)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(all, i, 5);
        }

        return builder.ToString();
    }
}
