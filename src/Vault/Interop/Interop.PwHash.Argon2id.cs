using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const int crypto_pwhash_ALG_ARGON2ID13 = 2;
    internal const int crypto_pwhash_argon2id_SALTBYTES = 16;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_pwhash_alg_argon2id13();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_pwhash(
        SecureMemoryHandle @out, ulong outlen, SecureMemoryHandle passwd, ulong passwdlen, in byte salt, ulong opslimit, nuint memlimit, int alg);
}
