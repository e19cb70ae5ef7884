using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Keys.Store;

/// <summary>
/// Unseal on random bytes and mutated files: a typed error, never an exception, quickly. The mutated base has
/// costs below the floor on both axes, so a mutation would have to fix both before any Argon2 run.
/// </summary>
public sealed class KeyStoreFileFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private static readonly Lazy<byte[]> BelowFloorFile = new(() =>
    {
        using var identity = DeviceIdentity.Create();
        var file = KeyStoreFile.Seal(identity, KeyStoreFixture.Passphrase, KdfParameters.Floor, RandomSource.Default).Value!;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(KeyStoreFixture.OpsOffset), 1);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(KeyStoreFixture.MemOffset), 1024);
        return file;
    });

    [Property(MaxTest = 300)]
    public bool Unseal_RandomBytes_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        var input = data ?? [];

        // Act
        var quick = Mutation.Within(Budget, () => KeyStoreFile.Unseal(input, KeyStoreFixture.Passphrase), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != KeyStoreError.None;
    }

    [Property(MaxTest = 300)]
    public bool Unseal_RandomBytesAfterValidMagicVersionAndKdf_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        byte[] input = [.. KeyStoreFile.Magic, KeyStoreFile.FormatVersion, KeyStoreFile.KdfArgon2id13, .. data ?? []];

        // Act
        var quick = Mutation.Within(Budget, () => KeyStoreFile.Unseal(input, KeyStoreFixture.Passphrase), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != KeyStoreError.None;
    }

    [Property(MaxTest = 400)]
    public bool Unseal_MutatedFile_ReturnsTypedErrorQuickly(int[] positions, byte[] values, byte[] insert)
    {
        // Arrange
        var mutated = Mutation.Apply(BelowFloorFile.Value, positions ?? [], values ?? [], insert ?? []);

        // Act
        var quick = Mutation.Within(Budget, () => KeyStoreFile.Unseal(mutated, KeyStoreFixture.Passphrase), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != KeyStoreError.None;
    }
}
