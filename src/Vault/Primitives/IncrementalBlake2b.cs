using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>
/// Unkeyed BLAKE2b over a stream of data (<c>crypto_generichash_blake2b_init_salt_personal</c>, <c>_update</c>,
/// <c>_final</c>) with a zero salt and a 16-byte personalisation, as <see cref="Blake2b.Hash"/> computes it
/// in one call. The 384-byte state lives in <c>sodium_malloc</c> memory: a plaintext hash's state is derived
/// from the plaintext.
/// </summary>
internal sealed class IncrementalBlake2b : IDisposable
{
    private static ReadOnlySpan<byte> ZeroSalt => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly SecureMemoryHandle _state;
    private readonly int _outputLength;
    private bool _finished;

    public IncrementalBlake2b(ReadOnlySpan<byte> personal, int outputLength)
    {
        Debug.Assert(personal.Length == 16 && outputLength is >= 16 and <= 64);
        _outputLength = outputLength;
        _state = SecureMemoryHandle.Create(Libsodium.crypto_generichash_blake2b_STATEBYTES);
        try
        {
            // libsodium declares the state CRYPTO_ALIGN(64); sodium_malloc ends each block at a page boundary,
            // so a 384-byte block starts 64-byte aligned. Refuse rather than hash from a misaligned state.
            if (_state.DangerousGetHandle() % 64 != 0)
            {
                throw new CryptographicException("The BLAKE2b state is not 64-byte aligned.");
            }

            var rc = Libsodium.crypto_generichash_blake2b_init_salt_personal(
                _state, in System.Runtime.CompilerServices.Unsafe.NullRef<byte>(), 0, (nuint)outputLength,
                in MemoryMarshal.GetReference(ZeroSalt), in MemoryMarshal.GetReference(personal));
            if (rc != 0)
            {
                throw new CryptographicException("crypto_generichash_blake2b_init_salt_personal failed.");
            }
        }
        catch
        {
            _state.Dispose();
            throw;
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The hash has already been finished.");
        }

        if (!data.IsEmpty)
        {
            _ = Libsodium.crypto_generichash_blake2b_update(_state, in MemoryMarshal.GetReference(data), (ulong)data.Length);
        }
    }

    /// <summary>Writes the digest; the hash cannot be used afterwards.</summary>
    public void Finish(Span<byte> digest)
    {
        Debug.Assert(digest.Length == _outputLength);
        if (_finished)
        {
            throw new InvalidOperationException("The hash has already been finished.");
        }

        _finished = true;
        var rc = Libsodium.crypto_generichash_blake2b_final(_state, ref MemoryMarshal.GetReference(digest), (nuint)digest.Length);
        if (rc != 0)
        {
            throw new CryptographicException("crypto_generichash_blake2b_final failed.");
        }
    }

    public void Dispose() => _state.Dispose();

    public override string ToString() => nameof(IncrementalBlake2b);
}
