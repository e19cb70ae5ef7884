using System.Security.Cryptography;
using SecureDialogue.Vault.Wire;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Keys.Store;

/// <summary>
/// The device's key store: its two secret seeds encrypted with XChaCha20-Poly1305 under a key derived from
/// the passphrase by Argon2id. Layout (docs/protocol.md, "Key store"):
/// <c>"SDLGKEYS" version(1) kdf(1) ops(u32) memKiB(u32) salt(16) nonce(24) len(u16) ciphertext</c>,
/// with <c>context || everything before the ciphertext</c> as associated data.
/// </summary>
public static class KeyStoreFile
{
    /// <summary>Shortest passphrase accepted for a new key store.</summary>
    public const int MinimumPassphraseLength = 8;

    /// <summary>The file's magic bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "SDLGKEYS"u8;

    internal const byte FormatVersion = 1;
    internal const byte KdfArgon2id13 = 1;
    internal const byte PayloadVersion = 1;
    private const int PayloadSize = 1 + 2 * DeviceIdentity.SeedSize;
    private const int MaxFileSize = 4096;

    /// <summary>Creates a key store at <paramref name="path"/>, refusing to overwrite one.</summary>
    public static KeyStoreError Create(string path, DeviceIdentity identity, ReadOnlySpan<char> passphrase, KdfParameters? kdf = null)
    {
        kdf ??= KdfParameters.Default;
        if (passphrase.Length < MinimumPassphraseLength)
        {
            return KeyStoreError.PassphraseTooShort;
        }

        var check = kdf.Check();
        if (check != KeyStoreError.None)
        {
            return check;
        }

        if (File.Exists(path))
        {
            return KeyStoreError.AlreadyExists;
        }

        var sealedResult = Seal(identity, passphrase, kdf, RandomSource.Default);
        if (!sealedResult.TryGetValue(out var bytes, out var error))
        {
            return error;
        }

        return AtomicFile.TryWriteNew(path, bytes) ? KeyStoreError.None : KeyStoreError.Io;
    }

    /// <summary>Opens the key store at <paramref name="path"/>.</summary>
    public static Result<DeviceIdentity, KeyStoreError> Open(string path, ReadOnlySpan<char> passphrase)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return KeyStoreError.NotFound;
            }

            if (info.Length > MaxFileSize)
            {
                return KeyStoreError.Malformed;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return KeyStoreError.Io;
        }

        return Unseal(bytes, passphrase);
    }

    internal static Result<byte[], KeyStoreError> Seal(DeviceIdentity identity, ReadOnlySpan<char> passphrase, KdfParameters kdf, IRandomSource random)
    {
        Span<byte> salt = stackalloc byte[Argon2id.SaltSize];
        Span<byte> nonce = stackalloc byte[XChaCha20Poly1305.NonceSize];
        random.Fill(salt);
        random.Fill(nonce);

        var header = new CanonicalWriter(128);
        header.WriteBytes(Magic);
        header.WriteByte(FormatVersion);
        header.WriteByte(KdfArgon2id13);
        header.WriteUInt32(kdf.OpsLimit);
        header.WriteUInt32(kdf.MemLimitKiB);
        header.WriteBytes(salt);
        header.WriteBytes(nonce);
        header.WriteUInt16(PayloadSize + XChaCha20Poly1305.TagSize);

        var keyResult = DeriveKey(passphrase, salt, kdf);
        if (!keyResult.TryGetValue(out var key, out var error))
        {
            return error;
        }

        using (key)
        {
            using var payload = SecureMemoryHandle.Create(PayloadSize);
            var added = false;
            try
            {
                payload.DangerousAddRef(ref added);
                var span = payload.DangerousGetSpan();
                span[0] = PayloadVersion;
                identity.ExportSeeds(span[1..]);
                var ad = AssociatedData(header.WrittenSpan);
                var output = new byte[header.Length + PayloadSize + XChaCha20Poly1305.TagSize];
                header.WrittenSpan.CopyTo(output);
                XChaCha20Poly1305.Encrypt(key, nonce, ad, span, output.AsSpan(header.Length));
                return output;
            }
            finally
            {
                if (added)
                {
                    payload.DangerousRelease();
                }
            }
        }
    }

    internal static Result<DeviceIdentity, KeyStoreError> Unseal(ReadOnlySpan<byte> file, ReadOnlySpan<char> passphrase)
    {
        if (file.Length > MaxFileSize)
        {
            return KeyStoreError.Malformed;
        }

        var reader = new CanonicalReader(file);
        if (!reader.TryReadBytes(Magic.Length, out var magic) || !magic.SequenceEqual(Magic) ||
            !reader.TryReadByte(out var version) || !reader.TryReadByte(out var kdfId))
        {
            return KeyStoreError.Malformed;
        }

        if (version != FormatVersion || kdfId != KdfArgon2id13)
        {
            return KeyStoreError.UnsupportedVersion;
        }

        if (!reader.TryReadUInt32(out var ops) || !reader.TryReadUInt32(out var mem) ||
            !reader.TryReadBytes(Argon2id.SaltSize, out var salt) || !reader.TryReadBytes(XChaCha20Poly1305.NonceSize, out var nonce) ||
            !reader.TryReadUInt16(out var length))
        {
            return KeyStoreError.Malformed;
        }

        var headerBytes = reader.Consumed;
        if (length != PayloadSize + XChaCha20Poly1305.TagSize || !reader.TryReadBytes(length, out var ciphertext) || !reader.End)
        {
            return KeyStoreError.Malformed;
        }

        var kdf = new KdfParameters(ops, mem);
        var check = kdf.Check();
        if (check != KeyStoreError.None)
        {
            return check;
        }

        var keyResult = DeriveKey(passphrase, salt, kdf);
        if (!keyResult.TryGetValue(out var key, out var error))
        {
            return error;
        }

        using (key)
        {
            using var payload = SecureMemoryHandle.Create(PayloadSize);
            var added = false;
            try
            {
                payload.DangerousAddRef(ref added);
                var span = payload.DangerousGetSpan();
                if (!XChaCha20Poly1305.TryDecrypt(key, nonce, AssociatedData(headerBytes), ciphertext, span))
                {
                    return KeyStoreError.WrongPassphrase;
                }

                if (span[0] != PayloadVersion)
                {
                    return KeyStoreError.UnsupportedVersion;
                }

                return DeviceIdentity.FromSeeds(span.Slice(1, DeviceIdentity.SeedSize), span.Slice(1 + DeviceIdentity.SeedSize, DeviceIdentity.SeedSize));
            }
            finally
            {
                if (added)
                {
                    payload.DangerousRelease();
                }
            }
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header) => [.. ProtocolConstants.KeyStoreContext, .. header];

    private static Result<SecureMemoryHandle, KeyStoreError> DeriveKey(ReadOnlySpan<char> passphrase, ReadOnlySpan<byte> salt, KdfParameters kdf)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(passphrase);
        using var secret = SecureMemoryHandle.Create(Math.Max(1, byteCount));
        var added = false;
        try
        {
            secret.DangerousAddRef(ref added);
            var span = secret.DangerousGetSpan();
            span.Clear();
            System.Text.Encoding.UTF8.GetBytes(passphrase, span);
            // The handle has at least one byte; the passphrase's UTF-8 encoding may have none.
            return Argon2id.TryDeriveKey(secret, byteCount, salt, kdf.OpsLimit, kdf.MemLimitBytes, out var key)
                ? key
                : KeyStoreError.OutOfMemory;
        }
        finally
        {
            if (added)
            {
                secret.DangerousRelease();
            }
        }
    }
}
