using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>
/// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03; libsodium <c>crypto_aead_xchacha20poly1305_ietf</c>).
/// Key 32 bytes, nonce 24 bytes, tag 16 bytes appended to the ciphertext.
/// </summary>
internal static class XChaCha20Poly1305
{
    public const int KeySize = Libsodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
    public const int NonceSize = Libsodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    public const int TagSize = Libsodium.crypto_aead_xchacha20poly1305_ietf_ABYTES;

    public static void Encrypt(
        SecureMemoryHandle key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Debug.Assert(key.Length == KeySize && nonce.Length == NonceSize && ciphertext.Length == plaintext.Length + TagSize);
        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
            ref MemoryMarshal.GetReference(ciphertext), out var written,
            in MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            IntPtr.Zero, in MemoryMarshal.GetReference(nonce), key);
        Debug.Assert(rc == 0 && written == (ulong)ciphertext.Length);
    }

    /// <summary>Returns false on any authentication failure; the destination is then wiped.</summary>
    public static bool TryDecrypt(
        SecureMemoryHandle key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Debug.Assert(key.Length == KeySize && nonce.Length == NonceSize);
        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize)
        {
            return false;
        }

        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ref MemoryMarshal.GetReference(plaintext), out _, IntPtr.Zero,
            in MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            in MemoryMarshal.GetReference(nonce), key);
        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        return true;
    }
}
