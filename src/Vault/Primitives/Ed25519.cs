using System.Runtime.InteropServices;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>Ed25519 (RFC 8032, pure) through libsodium <c>crypto_sign_ed25519</c>.</summary>
internal static class Ed25519
{
    public const int PublicKeySize = Libsodium.crypto_sign_ed25519_PUBLICKEYBYTES;
    public const int SignatureSize = Libsodium.crypto_sign_ed25519_BYTES;
    public const int SeedSize = Libsodium.crypto_sign_ed25519_SEEDBYTES;

    /// <summary>Derives the 64-byte libsodium secret key (seed || public key) and the public key from a seed.</summary>
    public static SecureMemoryHandle KeyPairFromSeed(SecureMemoryHandle seed, Span<byte> publicKey)
    {
        var secretKey = SecureMemoryHandle.Create(Libsodium.crypto_sign_ed25519_SECRETKEYBYTES);
        _ = Libsodium.crypto_sign_ed25519_seed_keypair(ref MemoryMarshal.GetReference(publicKey), secretKey, seed);
        return secretKey;
    }

    public static void Sign(SecureMemoryHandle secretKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        _ = Libsodium.crypto_sign_ed25519_detached(
            ref MemoryMarshal.GetReference(signature), out _,
            in MemoryMarshal.GetReference(message), (ulong)message.Length, secretKey);
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        return Libsodium.crypto_sign_ed25519_verify_detached(
            in MemoryMarshal.GetReference(signature),
            in MemoryMarshal.GetReference(message), (ulong)message.Length,
            in MemoryMarshal.GetReference(publicKey)) == 0;
    }

    /// <summary>True for a canonical point on the main subgroup that is not of small order.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        return Libsodium.crypto_core_ed25519_is_valid_point(in MemoryMarshal.GetReference(publicKey)) == 1;
    }
}
