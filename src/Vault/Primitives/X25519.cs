using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>
/// X25519 (RFC 7748) and libsodium sealed boxes (<c>crypto_box_seal</c>: ephemeral X25519,
/// XSalsa20-Poly1305, nonce = BLAKE2b-192(epk || pk)).
/// </summary>
internal static class X25519
{
    public const int PublicKeySize = Libsodium.crypto_box_curve25519xsalsa20poly1305_PUBLICKEYBYTES;
    public const int SecretKeySize = Libsodium.crypto_box_curve25519xsalsa20poly1305_SECRETKEYBYTES;
    public const int SealOverhead = Libsodium.crypto_box_SEALBYTES;

    // Any fixed clamped scalar works: libsodium refuses points whose product is the identity.
    private static ReadOnlySpan<byte> ProbeScalar =>
    [
        0x48, 0x12, 0x7a, 0x09, 0x3c, 0x55, 0x91, 0x6e, 0x21, 0x0f, 0xd4, 0x83, 0x66, 0x2b, 0xae, 0x17,
        0x90, 0x3e, 0x5c, 0x71, 0x08, 0xb2, 0xc9, 0x44, 0x1d, 0xe5, 0x7f, 0x36, 0xa0, 0x58, 0x0b, 0x6d,
    ];

    public static void PublicKeyFromSecret(SecureMemoryHandle secretKey, Span<byte> publicKey)
    {
        _ = Libsodium.crypto_scalarmult_curve25519_base(ref MemoryMarshal.GetReference(publicKey), secretKey);
    }

    /// <summary>False for points of small order (all-zero shared secret), non-canonical encodings and wrong lengths.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        // Bit 255 is ignored by X25519; refusing it keeps one encoding per key (and per device id).
        if (publicKey.Length != PublicKeySize || (publicKey[31] & 0x80) != 0)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        Span<byte> product = stackalloc byte[32];
        var rc = Libsodium.crypto_scalarmult_curve25519(
            ref MemoryMarshal.GetReference(product), in MemoryMarshal.GetReference(ProbeScalar), in MemoryMarshal.GetReference(publicKey));
        CryptographicOperations.ZeroMemory(product);
        return rc == 0;
    }

    /// <summary>Seals to a public key; false if the key is of small order.</summary>
    public static bool TrySeal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> message, Span<byte> sealedBox)
    {
        if (sealedBox.Length != message.Length + SealOverhead || recipientPublicKey.Length != PublicKeySize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        return Libsodium.crypto_box_seal(
            ref MemoryMarshal.GetReference(sealedBox),
            in MemoryMarshal.GetReference(message), (ulong)message.Length,
            in MemoryMarshal.GetReference(recipientPublicKey)) == 0;
    }

    /// <summary>Seals to a public key already validated (a device card); a failure here is a bug, not an input.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> message)
    {
        var sealedBox = new byte[message.Length + SealOverhead];
        return TrySeal(recipientPublicKey, message, sealedBox)
            ? sealedBox
            : throw new CryptographicException("Sealing to a validated public key failed.");
    }

    public static bool TryOpen(
        ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> publicKey, SecureMemoryHandle secretKey, Span<byte> message)
    {
        if (sealedBox.Length < SealOverhead || message.Length != sealedBox.Length - SealOverhead)
        {
            return false;
        }

        if (Libsodium.crypto_box_seal_open(
                ref MemoryMarshal.GetReference(message),
                in MemoryMarshal.GetReference(sealedBox), (ulong)sealedBox.Length,
                in MemoryMarshal.GetReference(publicKey), secretKey) != 0)
        {
            CryptographicOperations.ZeroMemory(message);
            return false;
        }

        return true;
    }
}
