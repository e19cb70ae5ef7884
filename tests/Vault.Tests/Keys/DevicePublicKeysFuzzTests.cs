using FsCheck;
using FsCheck.Xunit;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Keys;

/// <summary>Decode on random bytes and mutated cards: a typed error, never an exception, quickly.</summary>
public sealed class DevicePublicKeysFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private static readonly Lazy<byte[]> ValidCard = new(() =>
    {
        using var device = DeviceIdentity.Create();
        return device.PublicKeys.Encode();
    });

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytes_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        var input = data ?? [];

        // Act
        var quick = Mutation.Within(Budget, () => DevicePublicKeys.Decode(input), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != KeyError.None;
    }

    [Property(MaxTest = 300)]
    public bool Decode_RandomCardOfRightLengthAndVersion_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        var input = new byte[DevicePublicKeys.EncodedSize];
        (data ?? []).AsSpan(0, Math.Min(data?.Length ?? 0, input.Length)).CopyTo(input);
        input[0] = ProtocolConstants.Version;
        input[1] = ProtocolConstants.Suite;

        // Act
        var quick = Mutation.Within(Budget, () => DevicePublicKeys.Decode(input), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error is KeyError.InvalidPublicKey or KeyError.BadSignature;
    }

    [Property(MaxTest = 400)]
    public bool Decode_MutatedValidCard_NeverThrowsAndAcceptsOnlyTheOriginal(int[] positions, byte[] values, byte[] insert)
    {
        // Arrange
        var original = ValidCard.Value;
        var mutated = Mutation.Apply(original, positions ?? [], values ?? [], insert ?? []);

        // Act
        var quick = Mutation.Within(Budget, () => DevicePublicKeys.Decode(mutated), out var result);

        // Assert
        return quick && (result.IsSuccess ? mutated.AsSpan().SequenceEqual(original) : result.Error != KeyError.None);
    }
}
