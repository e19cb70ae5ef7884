namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Padmé padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication with
/// PURBs", PETS 2019): a length L is rounded up so that only its top ~log2(log2 L) bits vary, leaking
/// O(log log L) bits with at most 12% overhead. Lengths below <see cref="MinimumPaddedLength"/> pad to it.
/// </summary>
public static class Padding
{
    /// <summary>Every plaintext pads to at least 256 bytes, so short messages all look alike.</summary>
    public const int MinimumPaddedLength = 256;

    /// <summary>The largest padded plaintext of an envelope, 1 MiB (a power of two, so Padmé never exceeds it).</summary>
    public const int MaxPaddedLength = 1024 * 1024;

    /// <summary>The padded length of a plaintext of <paramref name="length"/> bytes.</summary>
    public static int PaddedLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= MinimumPaddedLength)
        {
            return MinimumPaddedLength;
        }

        var e = 31 - int.LeadingZeroCount(length);            // floor(log2 L)
        var s = 32 - int.LeadingZeroCount(e);                 // floor(log2 E) + 1
        var lastBits = e - s;
        var mask = (1 << lastBits) - 1;
        return checked((length + mask) & ~mask);
    }
}
