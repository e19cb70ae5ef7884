using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const int crypto_generichash_blake2b_SALTBYTES = 16;
    internal const int crypto_generichash_blake2b_PERSONALBYTES = 16;
    internal const int crypto_generichash_blake2b_KEYBYTES_MAX = 64;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_salt_personal(
        ref byte @out, nuint outlen, in byte @in, ulong inlen, in byte key, nuint keylen, in byte salt, in byte personal);

    [LibraryImport(Name, EntryPoint = "crypto_generichash_blake2b_salt_personal")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_salt_personal_keyed(
        ref byte @out, nuint outlen, in byte @in, ulong inlen, SecureMemoryHandle key, nuint keylen, in byte salt, in byte personal);

    // Incremental hashing (init/update/final). The state is 384 bytes and must be 64-byte aligned; it is
    // allocated in sodium_malloc memory, which places a 384-byte block at the (page-aligned) end of a page.
    internal const int crypto_generichash_blake2b_STATEBYTES = 384;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_generichash_blake2b_statebytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_init_salt_personal(
        SecureMemoryHandle state, in byte key, nuint keylen, nuint outlen, in byte salt, in byte personal);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_update(SecureMemoryHandle state, in byte @in, ulong inlen);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_final(SecureMemoryHandle state, ref byte @out, nuint outlen);

    // Raw-pointer overloads for the benchmark baseline only.
    [LibraryImport(Name, EntryPoint = "crypto_generichash_blake2b_init_salt_personal")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_init_salt_personal_raw(
        IntPtr state, IntPtr key, nuint keylen, nuint outlen, in byte salt, in byte personal);

    [LibraryImport(Name, EntryPoint = "crypto_generichash_blake2b_update")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_update_raw(IntPtr state, in byte @in, ulong inlen);

    [LibraryImport(Name, EntryPoint = "crypto_generichash_blake2b_final")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_generichash_blake2b_final_raw(IntPtr state, ref byte @out, nuint outlen);
}
