using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    [LibraryImport(Name)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void randombytes_buf(ref byte buf, nuint size);
}
