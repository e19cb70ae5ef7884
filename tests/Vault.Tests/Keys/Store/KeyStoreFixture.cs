using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Keys.Store;

/// <summary>
/// One identity sealed once at the KDF floor, shared by the key-store tests: every Argon2id derivation at the
/// floor costs about a tenth of a second, so the tests keep their count small.
/// </summary>
public sealed class KeyStoreFixture : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    // Offsets of the layout documented on KeyStoreFile.
    public const int VersionOffset = 8;
    public const int KdfOffset = 9;
    public const int OpsOffset = 10;
    public const int MemOffset = 14;
    public const int SaltOffset = 18;
    public const int NonceOffset = 34;
    public const int LengthOffset = 58;
    public const int HeaderSize = 60;
    public const int FileSize = HeaderSize + 1 + 64 + 16;

    public KeyStoreFixture()
    {
        Identity = DeviceIdentity.Create();
        Sealed = KeyStoreFile.Seal(Identity, Passphrase, KdfParameters.Floor, RandomSource.Default).Value!;
    }

    internal DeviceIdentity Identity { get; }

    /// <summary>A valid key store file; copy before changing it.</summary>
    internal byte[] Sealed { get; }

    public void Dispose() => Identity.Dispose();
}
