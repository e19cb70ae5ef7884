using System.Security.Cryptography;

namespace SecureDialogue.Vault.Keys;

/// <summary>
/// A device's identifier: BLAKE2b-128 of its signing and agreement public keys (personalisation
/// <c>sdlg.device.id</c>), so it commits to both keys. Shown as 32 lowercase hex digits.
/// </summary>
public readonly struct DeviceId : IEquatable<DeviceId>
{
    /// <summary>Size in bytes.</summary>
    public const int Size = 16;

    private readonly byte[]? _bytes;

    private DeviceId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 16 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Size];

    /// <summary>Wraps 16 bytes.</summary>
    public static DeviceId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A device id is {Size} bytes.", nameof(bytes));
        }

        return new DeviceId(bytes.ToArray());
    }

    /// <summary>Parses 32 lower-case hex digits.</summary>
    public static bool TryParse(string? text, out DeviceId id)
    {
        id = default;
        // Lower-case only, as ToString writes it: one spelling per device.
        if (text is null || text.Length != Size * 2 || text.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return false;
        }

        try
        {
            id = new DeviceId(Convert.FromHexString(text));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(DeviceId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <inheritdoc />
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(DeviceId left, DeviceId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DeviceId left, DeviceId right) => !left.Equals(right);

    internal static DeviceId Compute(ReadOnlySpan<byte> signingPublicKey, ReadOnlySpan<byte> agreementPublicKey)
    {
        Span<byte> input = stackalloc byte[64];
        signingPublicKey.CopyTo(input);
        agreementPublicKey.CopyTo(input[32..]);
        var id = new byte[Size];
        Primitives.Blake2b.Hash(ProtocolConstants.DeviceIdPersonal, input, id);
        return new DeviceId(id);
    }

    internal bool FixedTimeEquals(DeviceId other) => CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);
}
