using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Primitives;

public sealed class RandomSourceTests
{
    [Fact]
    public void Fill_InnerReturnsAllZeros_ThrowsRandomnessFailure()
    {
        // Arrange
        var source = new RandomSource(new ZeroRandom());
        var destination = new byte[32];

        // Act
        var error = Record.Exception(() => source.Fill(destination));

        // Assert
        Assert.IsType<RandomnessFailureException>(error);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Fill_InnerRepeatsPreviousDraw_ThrowsAndZeroesDestination()
    {
        // Arrange
        var source = new RandomSource(new RepeatingRandom());
        var first = new byte[24];
        source.Fill(first);
        var second = new byte[24];

        // Act
        var error = Record.Exception(() => source.Fill(second));

        // Assert
        Assert.All(first, b => Assert.Equal(0x5a, b));
        Assert.IsType<RandomnessFailureException>(error);
        Assert.All(second, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Fill_InnerReturnsZeroHeadAndNonZeroTail_ThrowsAndZeroesWholeDestination()
    {
        // Arrange
        var source = new RandomSource(new ZeroHeadRandom());
        var destination = new byte[64];

        // Act
        var error = Record.Exception(() => source.Fill(destination));

        // Assert
        Assert.IsType<RandomnessFailureException>(error);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Fill_HealthyInner_PassesItsOutputThrough()
    {
        // Arrange
        var source = new RandomSource(new CountingRandom());
        var first = new byte[32];
        var second = new byte[32];

        // Act
        source.Fill(first);
        source.Fill(second);

        // Assert
        Assert.NotEqual(first, second);
        Assert.Contains(first, b => b != 0);
    }

    [Fact]
    public void Fill_Default_ProducesDistinctNonZeroDraws()
    {
        // Arrange
        var draws = new HashSet<string>();

        // Act
        for (var i = 0; i < 1000; i++)
        {
            var buffer = new byte[24];
            RandomSource.Default.Fill(buffer);
            draws.Add(Hex.Encode(buffer));
        }

        // Assert
        Assert.Equal(1000, draws.Count);
    }

    [Fact]
    public void DeviceIdentityCreate_FailingRandom_Throws()
    {
        // Arrange
        var random = new RandomSource(new ZeroRandom());

        // Act
        var error = Record.Exception(() => DeviceIdentity.Create(random).Dispose());

        // Assert
        Assert.IsType<RandomnessFailureException>(error);
    }

    [Fact]
    public void DeviceIdentityCreate_RandomStuckOnOneValue_ThrowsOnSecondIdentity()
    {
        // Arrange
        var random = new RandomSource(new RepeatingRandom());
        using var first = DeviceIdentity.Create(random);

        // Act
        var error = Record.Exception(() => DeviceIdentity.Create(random).Dispose());

        // Assert
        Assert.IsType<RandomnessFailureException>(error);
    }

    [Fact]
    public void EpochKeyGenerate_FailingRandom_Throws()
    {
        // Arrange
        var random = new RandomSource(new ZeroRandom());

        // Act
        var error = Record.Exception(() => EpochKey.Generate(Guid.NewGuid(), ChannelId.Dialogue, 0, random).Dispose());

        // Assert
        Assert.IsType<RandomnessFailureException>(error);
    }

    [Fact]
    public void KeyStoreSeal_FailingRandom_ThrowsBeforeAnyDerivation()
    {
        // Arrange
        using var identity = DeviceIdentity.Create();
        var random = new RandomSource(new ZeroRandom());

        // Act
        var error = Record.Exception(() => KeyStoreFile.Seal(identity, "correct horse battery", KdfParameters.Ceiling, random));

        // Assert: the ceiling's 4 GiB derivation would take seconds; the exception comes first.
        Assert.IsType<RandomnessFailureException>(error);
    }
}
