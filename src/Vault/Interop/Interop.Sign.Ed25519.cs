using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const int crypto_sign_ed25519_BYTES = 64;
    internal const int crypto_sign_ed25519_PUBLICKEYBYTES = 32;
    internal const int crypto_sign_ed25519_SECRETKEYBYTES = 64;
    internal const int crypto_sign_ed25519_SEEDBYTES = 32;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_sign_ed25519_bytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_sign_ed25519_secretkeybytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_sign_ed25519_seed_keypair(ref byte pk, SecureMemoryHandle sk, SecureMemoryHandle seed);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_sign_ed25519_detached(ref byte sig, out ulong siglen, in byte m, ulong mlen, SecureMemoryHandle sk);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_sign_ed25519_verify_detached(in byte sig, in byte m, ulong mlen, in byte pk);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_core_ed25519_is_valid_point(in byte p);
}
