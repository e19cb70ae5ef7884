using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const int crypto_aead_xchacha20poly1305_ietf_KEYBYTES = 32;
    internal const int crypto_aead_xchacha20poly1305_ietf_NPUBBYTES = 24;
    internal const int crypto_aead_xchacha20poly1305_ietf_ABYTES = 16;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_aead_xchacha20poly1305_ietf_npubbytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_encrypt(
        ref byte c, out ulong clen_p, in byte m, ulong mlen, in byte ad, ulong adlen, IntPtr nsec, in byte npub, SecureMemoryHandle k);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_decrypt(
        ref byte m, out ulong mlen_p, IntPtr nsec, in byte c, ulong clen, in byte ad, ulong adlen, in byte npub, SecureMemoryHandle k);

    // Raw-key overloads exist for known-answer tests and the benchmark baseline only.
    [LibraryImport(Name, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_encrypt")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_encrypt_raw(
        ref byte c, out ulong clen_p, in byte m, ulong mlen, in byte ad, ulong adlen, IntPtr nsec, in byte npub, in byte k);

    [LibraryImport(Name, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_decrypt_raw(
        ref byte m, out ulong mlen_p, IntPtr nsec, in byte c, ulong clen, in byte ad, ulong adlen, in byte npub, in byte k);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_aead_chacha20poly1305_ietf_encrypt(
        ref byte c, out ulong clen_p, in byte m, ulong mlen, in byte ad, ulong adlen, IntPtr nsec, in byte npub, in byte k);
}
