using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// Helpers of the C2SP signed-note (v1.0.0) and tlog-cosignature (v1) formats: key IDs, key names, signature
/// lines, canonical base64, and the timestamped message.
/// </summary>
internal static class SignedNote
{
    /// <summary>Signature type of plain Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>Signature type of timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature).</summary>
    public const byte CosignatureType = 0x04;

    /// <summary>The line prefix: U+2014 EM DASH, U+0020 SPACE.</summary>
    public const string SignaturePrefix = "\u2014 ";

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>SHA-256(name || 0x0A || type || public key)[:4]</c> as a big-endian integer.</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = StrictUtf8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0a;
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>A key name is non-empty and has no Unicode space, no plus sign and no control character.</summary>
    public static bool IsValidKeyName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || rune.Value == '+' || rune.Value < 0x20 || rune == Rune.ReplacementChar)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Standard base64 (RFC 4648 section 4), padded, and only in its one canonical spelling.</summary>
    public static bool TryDecodeBase64(string text, int minLength, int maxLength, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0 || text.Length / 4 * 3 > maxLength + 2)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written < minLength || written > maxLength)
        {
            return false;
        }

        // Convert accepts white space and non-zero padding bits; one spelling only.
        var decoded = buffer.AsSpan(0, written).ToArray();
        if (!string.Equals(Convert.ToBase64String(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    /// <summary>The tlog-cosignature/v1 signed message: <c>"cosignature/v1\ntime T\n" || note text</c>.</summary>
    public static byte[] TimestampedMessage(ulong timestamp, string noteText) =>
        StrictUtf8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosignature/v1\ntime {timestamp}\n{noteText}"));
}

/// <summary>
/// One signature line of a signed note, <c>— &lt;key name&gt; base64(key ID || signature)</c>. The signature
/// bytes are those after the 4-byte key ID: 64 bytes for Ed25519, 8 + 64 for a timestamped cosignature, any
/// length for a key this client does not know.
/// </summary>
public sealed class NoteSignature
{
    private readonly byte[] _signature;

    internal NoteSignature(string keyName, uint keyId, byte[] signature)
    {
        KeyName = keyName;
        KeyId = keyId;
        _signature = signature;
    }

    /// <summary>The signer's key name.</summary>
    public string KeyName { get; }

    /// <summary>The 32-bit key ID (first four bytes of the base64 payload, big-endian).</summary>
    public uint KeyId { get; }

    /// <summary>The signature bytes after the key ID.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The line, with its final newline.</summary>
    public string Line
    {
        get
        {
            var payload = new byte[4 + _signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, KeyId);
            _signature.CopyTo(payload, 4);
            return $"{SignedNote.SignaturePrefix}{KeyName} {Convert.ToBase64String(payload)}\n";
        }
    }

    /// <summary>The timestamp of a tlog-cosignature/v1 line (first 8 signature bytes), when 72 bytes long.</summary>
    internal bool TryGetTimestamp(out ulong timestamp, out ReadOnlySpan<byte> ed25519)
    {
        timestamp = 0;
        ed25519 = default;
        if (_signature.Length != 8 + 64)
        {
            return false;
        }

        timestamp = BinaryPrimitives.ReadUInt64BigEndian(_signature);
        ed25519 = _signature.AsSpan(8);
        return timestamp <= long.MaxValue;
    }

    /// <inheritdoc />
    public override string ToString() => Line.TrimEnd('\n');
}
