using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const int crypto_box_curve25519xsalsa20poly1305_PUBLICKEYBYTES = 32;
    internal const int crypto_box_curve25519xsalsa20poly1305_SECRETKEYBYTES = 32;
    internal const int crypto_box_SEALBYTES = 48;
    internal const int crypto_scalarmult_curve25519_BYTES = 32;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_box_sealbytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_curve25519_base(ref byte q, SecureMemoryHandle n);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_curve25519(ref byte q, in byte n, in byte p);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_box_seal(ref byte c, in byte m, ulong mlen, in byte pk);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_box_seal_open(ref byte m, in byte c, ulong clen, in byte pk, SecureMemoryHandle sk);
}
