using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>
/// BLAKE2b (RFC 7693) with a 16-byte personalisation for every purpose (domain separation) and an all-zero
/// salt. Personalisation strings are ASCII, right-padded with 0x00 to 16 bytes; see docs/protocol.md.
/// </summary>
internal static class Blake2b
{
    private static ReadOnlySpan<byte> ZeroSalt => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Personal(string ascii)
    {
        Debug.Assert(ascii.Length <= 16);
        var result = new byte[16];
        Encoding.ASCII.GetBytes(ascii, result);
        return result;
    }

    public static void Hash(ReadOnlySpan<byte> personal, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Debug.Assert(personal.Length == 16 && output.Length is >= 16 and <= 64);
        Sodium.EnsureInitialized();
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref MemoryMarshal.GetReference(output), (nuint)output.Length,
            in MemoryMarshal.GetReference(input), (ulong)input.Length,
            in Unsafe.NullRef, 0,
            in MemoryMarshal.GetReference(ZeroSalt), in MemoryMarshal.GetReference(personal));
    }

    public static void KeyedHash(SecureMemoryHandle key, ReadOnlySpan<byte> personal, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Debug.Assert(personal.Length == 16 && output.Length is >= 16 and <= 64 && key.Length is >= 16 and <= 64);
        _ = Libsodium.crypto_generichash_blake2b_salt_personal_keyed(
            ref MemoryMarshal.GetReference(output), (nuint)output.Length,
            in MemoryMarshal.GetReference(input), (ulong)input.Length,
            key, (nuint)key.Length,
            in MemoryMarshal.GetReference(ZeroSalt), in MemoryMarshal.GetReference(personal));
    }

    public static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> personal, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Debug.Assert(personal.Length == 16 && output.Length is >= 16 and <= 64 && key.Length is >= 16 and <= 64);
        Sodium.EnsureInitialized();
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref MemoryMarshal.GetReference(output), (nuint)output.Length,
            in MemoryMarshal.GetReference(input), (ulong)input.Length,
            in MemoryMarshal.GetReference(key), (nuint)key.Length,
            in MemoryMarshal.GetReference(ZeroSalt), in MemoryMarshal.GetReference(personal));
    }

    /// <summary>Derives a fresh secret key: BLAKE2b-256 keyed with <paramref name="key"/>.</summary>
    public static SecureMemoryHandle DeriveKey(SecureMemoryHandle key, ReadOnlySpan<byte> personal, ReadOnlySpan<byte> input)
    {
        var derived = SecureMemoryHandle.Create(32);
        var added = false;
        try
        {
            derived.DangerousAddRef(ref added);
            KeyedHash(key, personal, input, derived.DangerousGetSpan());
            return derived;
        }
        catch
        {
            derived.Dispose();
            throw;
        }
        finally
        {
            if (added)
            {
                derived.DangerousRelease();
            }
        }
    }
}

file static class Unsafe
{
    // A null reference for optional pointer arguments (libsodium accepts NULL with length 0).
    public static ref readonly byte NullRef => ref System.Runtime.CompilerServices.Unsafe.NullRef<byte>();
}
