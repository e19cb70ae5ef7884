using System.Text;

namespace SecureDialogue.Vault.Keys;

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
