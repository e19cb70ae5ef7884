using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

/// <summary>
/// Memory from <c>sodium_malloc</c>: guarded pages, excluded from core dumps, wiped by <c>sodium_free</c>.
/// Every secret key of the vault lives in one of these and is passed to libsodium as the handle itself.
/// </summary>
[DebuggerDisplay("SecureMemoryHandle, {Length} bytes")]
internal sealed class SecureMemoryHandle : SafeHandle
{
    private int _length;

    // Called by the LibraryImport marshaller only.
    public SecureMemoryHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public int Length => _length;

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SecureMemoryHandle Create(int length)
    {
        Debug.Assert(length > 0);
        Sodium.EnsureInitialized();
        var result = Libsodium.sodium_malloc((nuint)length);
        if (result.IsInvalid)
        {
            result.Dispose();
            throw new System.Security.Cryptography.CryptographicException("sodium_malloc failed to allocate secure memory.");
        }

        result._length = length;
        return result;
    }

    /// <summary>Creates a handle holding a copy of <paramref name="source"/>.</summary>
    public static SecureMemoryHandle CreateFrom(ReadOnlySpan<byte> source)
    {
        var result = Create(source.Length);
        result.Import(source);
        return result;
    }

    public void Import(ReadOnlySpan<byte> source)
    {
        Debug.Assert(source.Length == _length);
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            source.CopyTo(DangerousGetSpan());
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    public void Export(Span<byte> destination)
    {
        Debug.Assert(destination.Length == _length);
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            DangerousGetSpan().CopyTo(destination);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>Constant-time comparison of two secrets of the same length.</summary>
    public bool FixedTimeEquals(SecureMemoryHandle other)
    {
        if (other._length != _length)
        {
            return false;
        }

        bool a = false, b = false;
        try
        {
            DangerousAddRef(ref a);
            other.DangerousAddRef(ref b);
            return Libsodium.sodium_memcmp(
                in MemoryMarshal.GetReference(DangerousGetSpan()),
                in MemoryMarshal.GetReference(other.DangerousGetSpan()),
                (nuint)_length) == 0;
        }
        finally
        {
            if (b)
            {
                other.DangerousRelease();
            }

            if (a)
            {
                DangerousRelease();
            }
        }
    }

    // Callers must hold a reference (DangerousAddRef) while they use the span.
    internal unsafe Span<byte> DangerousGetSpan() => new((void*)handle, _length);

    public override string ToString() => nameof(SecureMemoryHandle);

    protected override bool ReleaseHandle()
    {
        Libsodium.sodium_free(handle);
        return true;
    }
}
