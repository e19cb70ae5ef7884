using System.Reflection;
using System.Runtime.InteropServices;

namespace SecureDialogue.Vault.Interop;

internal static partial class Libsodium
{
    internal const string Name = "libsodium";

    // Debian's libsodium23 ships only the versioned soname; libsodium-dev adds the unversioned link.
    // Resolving the versioned names ourselves means only the runtime package is required.
    private static readonly string[] s_candidates =
    [
        "libsodium.so.23",
        "libsodium.so",
        "libsodium.26.dylib",
        "libsodium.23.dylib",
        "libsodium.dylib",
        "libsodium.dll",
    ];

    private static int s_resolverInstalled;

    internal static void InstallResolver()
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) != 0)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Libsodium).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
