using FsCheck.Xunit;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Amendments;

/// <summary>Decode and verify on random bytes and on mutations of valid statements: a typed result, never an exception, quickly.</summary>
public sealed class AmendmentCodecFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly Lazy<(DeviceIdentity Author, AmendmentStatement Correction)> Valid = new(() =>
    {
        var bob = AmendmentCodecTests.Identity("bob");
        var correction = AmendmentCodec.SignCorrection(
            AmendmentCodecTests.EnvelopeNamed("one-segment"), AmendmentCodecTests.EnvelopeNamed("three-segments"), bob, DateTimeOffset.FromUnixTimeSeconds(1_790_000_000));
        return (bob, correction);
    });

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytes_ReturnsTypedErrorQuickly(byte[] data)
    {
        var quick = Mutation.Within(Budget, () => AmendmentCodec.Decode(data ?? []), out var result);
        return quick && !result.IsSuccess && result.Error != AmendmentError.None;
    }

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytesAfterVersionAndSuite_NeverThrows(byte[] data)
    {
        byte[] input = [ProtocolConstants.Version, ProtocolConstants.Suite, .. data ?? []];
        var quick = Mutation.Within(Budget, () => AmendmentCodec.Decode(input), out var result);
        return quick && (result.IsSuccess || result.Error != AmendmentError.None);
    }

    [Property(MaxTest = 400)]
    public bool Verify_MutatedCorrection_AcceptedOnlyUnchangedAndReencodesCanonically(int[] positions, byte[] values, byte[] insert)
    {
        // Arrange
        var (author, correction) = Valid.Value;
        var mutated = Mutation.Apply(correction.Encoded, positions ?? [], values ?? [], insert ?? []);

        // Act
        var quick = Mutation.Within(Budget, () => AmendmentCodec.Verify(mutated, author.PublicKeys), out var result);

        // Assert
        return quick && result.IsSuccess == mutated.AsSpan().SequenceEqual(correction.Encoded) && (result.IsSuccess || result.Error != AmendmentError.None);
    }
}
