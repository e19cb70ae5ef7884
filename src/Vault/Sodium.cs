using System.Runtime.InteropServices;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault;

/// <summary>
/// One-time libsodium start-up: resolves the native library, calls <c>sodium_init</c>, checks the version
/// and the sizes this code was written for, and turns libsodium's misuse handler into a fail-fast.
/// </summary>
public static class Sodium
{
    /// <summary>The oldest libsodium release supported (Debian 12's libsodium23 is 1.0.18, ABI 10.3).</summary>
    public const int MinimumLibraryMajor = 10;

    /// <summary>Minor ABI version paired with <see cref="MinimumLibraryMajor"/>.</summary>
    public const int MinimumLibraryMinor = 3;

    private static readonly Lazy<string> s_version = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The libsodium version string, for diagnostics.</summary>
    public static string Version => s_version.Value;

    /// <summary>Loads and initialises libsodium once; later calls cost a volatile read.</summary>
    /// <exception cref="PlatformNotSupportedException">libsodium is missing, too old or not as expected.</exception>
    public static void EnsureInitialized() => _ = s_version.Value;

    private static unsafe string Initialize()
    {
        Libsodium.InstallResolver();
        try
        {
            if (Libsodium.sodium_init() < 0)
            {
                throw new PlatformNotSupportedException("libsodium could not be initialised (sodium_init failed).");
            }

            var major = Libsodium.sodium_library_version_major();
            var minor = Libsodium.sodium_library_version_minor();
            if (major < MinimumLibraryMajor || (major == MinimumLibraryMajor && minor < MinimumLibraryMinor))
            {
                throw new PlatformNotSupportedException(
                    $"libsodium ABI {major}.{minor} is older than the required {MinimumLibraryMajor}.{MinimumLibraryMinor} (libsodium 1.0.18).");
            }

            _ = Libsodium.sodium_set_misuse_handler(&OnMisuse);
            SelfTest();
            return Marshal.PtrToStringAnsi(Libsodium.sodium_version_string()) ?? "unknown";
        }
        catch (DllNotFoundException e)
        {
            throw new PlatformNotSupportedException(
                "libsodium was not found. On Debian or Ubuntu install it with: apt-get install libsodium23", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new PlatformNotSupportedException("The libsodium found is missing functions SecureDialogue needs (1.0.18 or later required).", e);
        }
    }

    // The constants in Interop are compile-time; a library built with other sizes must not be used.
    private static void SelfTest()
    {
        if (Libsodium.crypto_sign_ed25519_bytes() != Libsodium.crypto_sign_ed25519_BYTES ||
            Libsodium.crypto_sign_ed25519_secretkeybytes() != Libsodium.crypto_sign_ed25519_SECRETKEYBYTES ||
            Libsodium.crypto_box_sealbytes() != Libsodium.crypto_box_SEALBYTES ||
            Libsodium.crypto_aead_xchacha20poly1305_ietf_npubbytes() != Libsodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
            Libsodium.crypto_pwhash_alg_argon2id13() != Libsodium.crypto_pwhash_ALG_ARGON2ID13 ||
            Libsodium.crypto_generichash_blake2b_statebytes() != Libsodium.crypto_generichash_blake2b_STATEBYTES ||
            Libsodium.crypto_secretstream_xchacha20poly1305_abytes() != Libsodium.crypto_secretstream_xchacha20poly1305_ABYTES ||
            Libsodium.crypto_secretstream_xchacha20poly1305_headerbytes() != Libsodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES ||
            Libsodium.crypto_secretstream_xchacha20poly1305_keybytes() != Libsodium.crypto_secretstream_xchacha20poly1305_KEYBYTES ||
            Libsodium.crypto_secretstream_xchacha20poly1305_statebytes() != Libsodium.crypto_secretstream_xchacha20poly1305_STATEBYTES ||
            Libsodium.crypto_secretstream_xchacha20poly1305_tag_final() != Libsodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        {
            throw new PlatformNotSupportedException("libsodium reports sizes this build of SecureDialogue was not written for.");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void OnMisuse() => Environment.FailFast("libsodium misuse handler called: refusing to continue.");
}
