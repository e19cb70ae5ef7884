using SecureDialogue.Vault.Wire;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Keys;

/// <summary>
/// A device's public keys as it publishes them: its Ed25519 signing key and its X25519 agreement key,
/// bound together by a self-signature so that nobody can pair another agreement key with the signing key.
/// Encoded as <c>version(1) suite(1) signing(32) agreement(32) signature(64)</c>: 130 bytes.
/// </summary>
public sealed class DevicePublicKeys : IEquatable<DevicePublicKeys>
{
    /// <summary>Size of the encoding.</summary>
    public const int EncodedSize = 2 + 32 + 32 + 64;

    private readonly byte[] _signing;
    private readonly byte[] _agreement;
    private readonly byte[] _selfSignature;

    private DevicePublicKeys(byte[] signing, byte[] agreement, byte[] selfSignature)
    {
        _signing = signing;
        _agreement = agreement;
        _selfSignature = selfSignature;
        Id = DeviceId.Compute(signing, agreement);
    }

    /// <summary>The device id derived from both keys.</summary>
    public DeviceId Id { get; }

    /// <summary>Ed25519 public key.</summary>
    public ReadOnlySpan<byte> SigningKey => _signing;

    /// <summary>X25519 public key, the recipient of wrapped epoch keys.</summary>
    public ReadOnlySpan<byte> AgreementKey => _agreement;

    /// <summary>Ed25519 signature by <see cref="SigningKey"/> over the two keys.</summary>
    public ReadOnlySpan<byte> SelfSignature => _selfSignature;

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedSize];
        WriteSignedPart(bytes);
        _selfSignature.CopyTo(bytes.AsSpan(66));
        return bytes;
    }

    /// <summary>Decodes and verifies a device card: lengths, version, suite, valid points, self-signature.</summary>
    public static Result<DevicePublicKeys, KeyError> Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new CanonicalReader(encoded);
        if (encoded.Length != EncodedSize ||
            !reader.TryReadByte(out var version) || !reader.TryReadByte(out var suite) ||
            !reader.TryReadBytes(32, out var signing) || !reader.TryReadBytes(32, out var agreement) ||
            !reader.TryReadBytes(64, out var signature))
        {
            return KeyError.Malformed;
        }

        if (version != ProtocolConstants.Version || suite != ProtocolConstants.Suite)
        {
            return KeyError.UnsupportedVersion;
        }

        return FromParts(signing, agreement, signature);
    }

    internal static Result<DevicePublicKeys, KeyError> FromParts(
        ReadOnlySpan<byte> signing, ReadOnlySpan<byte> agreement, ReadOnlySpan<byte> signature)
    {
        if (!Ed25519.IsValidPublicKey(signing) || !X25519.IsValidPublicKey(agreement))
        {
            return KeyError.InvalidPublicKey;
        }

        var keys = new DevicePublicKeys(signing.ToArray(), agreement.ToArray(), signature.ToArray());
        Span<byte> signed = stackalloc byte[SignedLength];
        keys.WriteSignedMessage(signed);
        return Ed25519.Verify(signing, signed, signature) ? keys : KeyError.BadSignature;
    }

    internal static DevicePublicKeys CreateSigned(ReadOnlySpan<byte> signing, ReadOnlySpan<byte> agreement, Action<ReadOnlySpan<byte>, Span<byte>> sign)
    {
        var keys = new DevicePublicKeys(signing.ToArray(), agreement.ToArray(), new byte[64]);
        Span<byte> signed = stackalloc byte[SignedLength];
        keys.WriteSignedMessage(signed);
        sign(signed, keys._selfSignature);
        return keys;
    }

    private static int SignedLength => ProtocolConstants.DeviceCardContext.Length + 66;

    private void WriteSignedMessage(Span<byte> destination)
    {
        ProtocolConstants.DeviceCardContext.CopyTo(destination);
        WriteSignedPart(destination[ProtocolConstants.DeviceCardContext.Length..]);
    }

    private void WriteSignedPart(Span<byte> destination)
    {
        destination[0] = ProtocolConstants.Version;
        destination[1] = ProtocolConstants.Suite;
        _signing.CopyTo(destination[2..]);
        _agreement.CopyTo(destination[34..]);
    }

    /// <summary>Two cards are equal when their keys are (the signature is deterministic).</summary>
    public bool Equals(DevicePublicKeys? other) =>
        other is not null && _signing.AsSpan().SequenceEqual(other._signing) && _agreement.AsSpan().SequenceEqual(other._agreement);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DevicePublicKeys);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"Device {Id}";
}
