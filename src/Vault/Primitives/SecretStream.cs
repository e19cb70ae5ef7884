using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>
/// libsodium's <c>crypto_secretstream_xchacha20poly1305</c>: key 32 bytes, header 24 bytes, 17 bytes of
/// overhead per message (one encrypted tag byte and a 16-byte Poly1305 MAC). Each message advances a
/// ratchet in the state, so messages cannot be dropped, duplicated, reordered or taken from another stream
/// without the next <see cref="SecretStreamPull.TryPull"/> failing. The state (which holds a subkey) lives
/// in <c>sodium_malloc</c> memory and is wiped when disposed.
/// </summary>
internal static class SecretStream
{
    public const int KeySize = Libsodium.crypto_secretstream_xchacha20poly1305_KEYBYTES;
    public const int HeaderSize = Libsodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
    public const int Overhead = Libsodium.crypto_secretstream_xchacha20poly1305_ABYTES;
    public const int StateSize = Libsodium.crypto_secretstream_xchacha20poly1305_STATEBYTES;
    public const byte TagMessage = Libsodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    public const byte TagFinal = Libsodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
}

/// <summary>The encrypting side; <c>init_push</c> draws the 24-byte header from libsodium's generator.</summary>
internal sealed class SecretStreamPush : IDisposable
{
    private readonly SecureMemoryHandle _state;

    private SecretStreamPush(SecureMemoryHandle state) => _state = state;

    /// <summary>Starts a stream under <paramref name="key"/> and writes its header.</summary>
    public static SecretStreamPush Start(SecureMemoryHandle key, Span<byte> header)
    {
        Debug.Assert(key.Length == SecretStream.KeySize && header.Length == SecretStream.HeaderSize);
        var state = SecureMemoryHandle.Create(SecretStream.StateSize);
        try
        {
            var rc = Libsodium.crypto_secretstream_xchacha20poly1305_init_push(state, ref MemoryMarshal.GetReference(header), key);
            if (rc != 0)
            {
                throw new CryptographicException("crypto_secretstream_xchacha20poly1305_init_push failed.");
            }

            return new SecretStreamPush(state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts a stream under <paramref name="key"/> with a header chosen earlier (by an earlier <see cref="Start"/>),
    /// to produce the same ciphertext again. libsodium's <c>init_push</c> draws the header and then derives the
    /// state exactly as <c>init_pull</c> does from (key, header): HChaCha20 subkey, counter 1, the header's last
    /// 8 bytes as nonce, zero padding. So the state from <c>init_pull</c> pushes byte-identical messages.
    /// Only for re-encrypting the same plaintext (resuming an upload): pushing different plaintext under a
    /// reused (key, header) would reuse the keystream.
    /// </summary>
    public static SecretStreamPush Restart(SecureMemoryHandle key, ReadOnlySpan<byte> header)
    {
        Debug.Assert(key.Length == SecretStream.KeySize && header.Length == SecretStream.HeaderSize);
        var state = SecureMemoryHandle.Create(SecretStream.StateSize);
        try
        {
            var rc = Libsodium.crypto_secretstream_xchacha20poly1305_init_pull(state, in MemoryMarshal.GetReference(header), key);
            if (rc != 0)
            {
                throw new CryptographicException("crypto_secretstream_xchacha20poly1305_init_pull failed.");
            }

            return new SecretStreamPush(state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>Encrypts one message; <paramref name="ciphertext"/> is exactly <c>plaintext + 17</c> bytes.</summary>
    public void Push(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, byte tag, Span<byte> ciphertext)
    {
        Debug.Assert(ciphertext.Length == plaintext.Length + SecretStream.Overhead);
        var rc = Libsodium.crypto_secretstream_xchacha20poly1305_push(
            _state, ref MemoryMarshal.GetReference(ciphertext), out var written,
            in MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length, tag);
        if (rc != 0 || written != (ulong)ciphertext.Length)
        {
            throw new CryptographicException("crypto_secretstream_xchacha20poly1305_push failed.");
        }
    }

    public void Dispose() => _state.Dispose();

    public override string ToString() => nameof(SecretStreamPush);
}

/// <summary>The decrypting side. A failed <see cref="TryPull"/> leaves the stream unusable.</summary>
internal sealed class SecretStreamPull : IDisposable
{
    private readonly SecureMemoryHandle _state;
    private bool _failed;

    private SecretStreamPull(SecureMemoryHandle state) => _state = state;

    public static SecretStreamPull Start(SecureMemoryHandle key, ReadOnlySpan<byte> header)
    {
        Debug.Assert(key.Length == SecretStream.KeySize && header.Length == SecretStream.HeaderSize);
        var state = SecureMemoryHandle.Create(SecretStream.StateSize);
        try
        {
            // init_pull only derives the subkey from the header; it cannot fail on any header value.
            var rc = Libsodium.crypto_secretstream_xchacha20poly1305_init_pull(state, in MemoryMarshal.GetReference(header), key);
            if (rc != 0)
            {
                throw new CryptographicException("crypto_secretstream_xchacha20poly1305_init_pull failed.");
            }

            return new SecretStreamPull(state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Authenticates and decrypts one message into <paramref name="plaintext"/> (<c>ciphertext - 17</c> bytes).
    /// Returns false when the message does not authenticate; the destination is then wiped and every later
    /// call fails too.
    /// </summary>
    public bool TryPull(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> plaintext, out byte tag)
    {
        tag = 0;
        if (_failed || ciphertext.Length < SecretStream.Overhead || plaintext.Length != ciphertext.Length - SecretStream.Overhead)
        {
            _failed = true;
            return false;
        }

        var rc = Libsodium.crypto_secretstream_xchacha20poly1305_pull(
            _state, ref MemoryMarshal.GetReference(plaintext), out _, out tag,
            in MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length);
        if (rc != 0)
        {
            _failed = true;
            tag = 0;
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        return true;
    }

    public void Dispose() => _state.Dispose();

    public override string ToString() => nameof(SecretStreamPull);
}
