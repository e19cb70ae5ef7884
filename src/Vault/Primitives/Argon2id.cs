using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>Argon2id v1.3 (RFC 9106) through libsodium <c>crypto_pwhash</c>; parallelism is always 1.</summary>
internal static class Argon2id
{
    public const int SaltSize = Libsodium.crypto_pwhash_argon2id_SALTBYTES;

    /// <summary>Derives a 32-byte key; false only when libsodium could not allocate the memory asked for.</summary>
    public static bool TryDeriveKey(
        SecureMemoryHandle passphrase, ReadOnlySpan<byte> salt, ulong opsLimit, ulong memLimitBytes, out SecureMemoryHandle key) =>
        TryDeriveKey(passphrase, passphrase.Length, salt, opsLimit, memLimitBytes, out key);

    /// <summary>
    /// Derives a 32-byte key from the first <paramref name="passphraseLength"/> bytes of <paramref name="passphrase"/>
    /// (0 is allowed: a handle cannot be empty, the passphrase can).
    /// </summary>
    public static bool TryDeriveKey(
        SecureMemoryHandle passphrase, int passphraseLength, ReadOnlySpan<byte> salt, ulong opsLimit, ulong memLimitBytes, out SecureMemoryHandle key)
    {
        System.Diagnostics.Debug.Assert(passphraseLength >= 0 && passphraseLength <= passphrase.Length);
        key = SecureMemoryHandle.Create(32);
        if (Libsodium.crypto_pwhash(key, 32, passphrase, (ulong)passphraseLength, in salt[0], opsLimit, (nuint)memLimitBytes,
                Libsodium.crypto_pwhash_ALG_ARGON2ID13) != 0)
        {
            key.Dispose();
            key = null!;
            return false;
        }

        return true;
    }
}
