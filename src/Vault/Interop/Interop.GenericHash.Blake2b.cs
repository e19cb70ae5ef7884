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
}
