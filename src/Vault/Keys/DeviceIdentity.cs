using System.Diagnostics;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Keys;

/// <summary>
/// The secret half of a device: an Ed25519 signing key and an X25519 agreement key, created on the device and
/// kept in libsodium-allocated memory. Never printed, never exported except into the passphrase-protected key
/// store.
/// </summary>
[DebuggerDisplay("DeviceIdentity {PublicKeys.Id}")]
public sealed class DeviceIdentity : IDisposable
{
    /// <summary>Size of each secret seed in bytes.</summary>
    public const int SeedSize = 32;

    private readonly SecureMemoryHandle _signingSeed;
    private readonly SecureMemoryHandle _signingKey;
    private readonly SecureMemoryHandle _agreementKey;

    private DeviceIdentity(SecureMemoryHandle signingSeed, SecureMemoryHandle agreementKey)
    {
        _signingSeed = signingSeed;
        _agreementKey = agreementKey;
        Span<byte> signingPublic = stackalloc byte[Ed25519.PublicKeySize];
        Span<byte> agreementPublic = stackalloc byte[X25519.PublicKeySize];
        _signingKey = Ed25519.KeyPairFromSeed(signingSeed, signingPublic);
        X25519.PublicKeyFromSecret(agreementKey, agreementPublic);
        var signingKey = _signingKey;
        PublicKeys = DevicePublicKeys.CreateSigned(signingPublic, agreementPublic, (m, s) => Ed25519.Sign(signingKey, m, s));
    }

    /// <summary>The public card of this device.</summary>
    public DevicePublicKeys PublicKeys { get; }

    /// <summary>This device's id.</summary>
    public DeviceId Id => PublicKeys.Id;

    /// <summary>Creates a new device identity from the system random generator.</summary>
    public static DeviceIdentity Create() => Create(RandomSource.Default);

    internal static DeviceIdentity Create(IRandomSource random)
    {
        Span<byte> seeds = stackalloc byte[2 * SeedSize];
        try
        {
            random.Fill(seeds);
            return FromSeeds(seeds[..SeedSize], seeds[SeedSize..]);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seeds);
        }
    }

    /// <summary>Rebuilds an identity from its two 32-byte seeds (key store, test vectors).</summary>
    internal static DeviceIdentity FromSeeds(ReadOnlySpan<byte> signingSeed, ReadOnlySpan<byte> agreementSecret)
    {
        if (signingSeed.Length != SeedSize || agreementSecret.Length != SeedSize)
        {
            throw new ArgumentException("Device seeds are 32 bytes each.");
        }

        SecureMemoryHandle? seed = null, agreement = null;
        try
        {
            seed = SecureMemoryHandle.CreateFrom(signingSeed);
            agreement = SecureMemoryHandle.CreateFrom(agreementSecret);
            return new DeviceIdentity(seed, agreement);
        }
        catch
        {
            seed?.Dispose();
            agreement?.Dispose();
            throw;
        }
    }

    /// <summary>Writes both secret seeds, for the key store only.</summary>
    internal void ExportSeeds(Span<byte> destination)
    {
        Debug.Assert(destination.Length == 2 * SeedSize);
        _signingSeed.Export(destination[..SeedSize]);
        _agreementKey.Export(destination[SeedSize..]);
    }

    /// <summary>Signs <c>context || message</c> with the device's Ed25519 key.</summary>
    internal void Sign(ReadOnlySpan<byte> message, Span<byte> signature) => Ed25519.Sign(_signingKey, message, signature);

    /// <summary>Opens a sealed box addressed to this device's agreement key.</summary>
    internal bool TryOpenSealed(ReadOnlySpan<byte> sealedBox, Span<byte> message) =>
        X25519.TryOpen(sealedBox, PublicKeys.AgreementKey, _agreementKey, message);

    /// <summary>Wipes and frees the secret keys.</summary>
    public void Dispose()
    {
        _signingKey.Dispose();
        _signingSeed.Dispose();
        _agreementKey.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(DeviceIdentity);
}
