using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

// crypto_secretstream_xchacha20poly1305 (libsodium >= 1.0.14): an XChaCha20-Poly1305 stream with a 24-byte
// header, a 17-byte overhead per message (1 encrypted tag byte + 16-byte MAC) and a ratcheting 52-byte state.
// The state holds the derived subkey, so it always lives in sodium_malloc memory (SecureMemoryHandle).
internal static partial class Libsodium
{
    internal const int crypto_secretstream_xchacha20poly1305_ABYTES = 17;
    internal const int crypto_secretstream_xchacha20poly1305_HEADERBYTES = 24;
    internal const int crypto_secretstream_xchacha20poly1305_KEYBYTES = 32;
    internal const int crypto_secretstream_xchacha20poly1305_STATEBYTES = 52;
    internal const byte crypto_secretstream_xchacha20poly1305_TAG_MESSAGE = 0;
    internal const byte crypto_secretstream_xchacha20poly1305_TAG_FINAL = 3;

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_secretstream_xchacha20poly1305_abytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_secretstream_xchacha20poly1305_headerbytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_secretstream_xchacha20poly1305_keybytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_secretstream_xchacha20poly1305_statebytes();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial byte crypto_secretstream_xchacha20poly1305_tag_final();

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_init_push(
        SecureMemoryHandle state, ref byte header, SecureMemoryHandle k);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_push(
        SecureMemoryHandle state, ref byte c, out ulong clen_p, in byte m, ulong mlen, in byte ad, ulong adlen, byte tag);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_init_pull(
        SecureMemoryHandle state, in byte header, SecureMemoryHandle k);

    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_pull(
        SecureMemoryHandle state, ref byte m, out ulong mlen_p, out byte tag_p, in byte c, ulong clen, in byte ad, ulong adlen);

    // Raw-pointer overloads for the benchmark baseline only (state and key in plain native memory).
    [LibraryImport(Name, EntryPoint = "crypto_secretstream_xchacha20poly1305_init_push")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_init_push_raw(IntPtr state, ref byte header, in byte k);

    [LibraryImport(Name, EntryPoint = "crypto_secretstream_xchacha20poly1305_push")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_push_raw(
        IntPtr state, ref byte c, IntPtr clen_p, in byte m, ulong mlen, IntPtr ad, ulong adlen, byte tag);

    [LibraryImport(Name, EntryPoint = "crypto_secretstream_xchacha20poly1305_init_pull")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_init_pull_raw(IntPtr state, in byte header, in byte k);

    [LibraryImport(Name, EntryPoint = "crypto_secretstream_xchacha20poly1305_pull")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_secretstream_xchacha20poly1305_pull_raw(
        IntPtr state, ref byte m, IntPtr mlen_p, out byte tag_p, in byte c, ulong clen, IntPtr ad, ulong adlen);
}
