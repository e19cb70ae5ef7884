using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed class EpochChainForkEvidenceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accept_SecondSignedRecordForSameEpoch_ForkAndKeptAsEvidence()
    {
        // Arrange: the manager signed two different epoch-1 records; the server shows one to each client.
        using var manager = DeviceIdentity.Create();
        using var expert = DeviceIdentity.Create();
        var review = Guid.NewGuid();
        var (genesis, k0) = EpochRecordBuilder.Genesis(manager, review, ChannelId.Dialogue, [new MemberDevice(manager.PublicKeys, true), new MemberDevice(expert.PublicKeys)], s_now);
        var (shown, k1) = EpochRecordBuilder.Next(manager, genesis, [new MemberDevice(manager.PublicKeys, true), new MemberDevice(expert.PublicKeys)], s_now);
        var (hidden, k2) = EpochRecordBuilder.Next(manager, genesis, [new MemberDevice(manager.PublicKeys, true)], s_now);
        k0.Dispose();
        k1.Dispose();
        k2.Dispose();
        var chain = new EpochChain(review, ChannelId.Dialogue, [manager.Id]);
        Assert.True(chain.Accept(genesis.Encoded.Span).IsSuccess);
        Assert.True(chain.Accept(shown.Encoded.Span).IsSuccess);

        // Act
        var result = chain.Accept(hidden.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.Fork, result.Error);
        Assert.Equal(hidden.Hash, Assert.Single(chain.ConflictingRecords).Hash);
        Assert.Equal(shown.Hash, chain.Current!.Hash);
    }

    [Fact]
    public void Accept_UnsignedConflictingRecord_InvalidWithoutEvidence()
    {
        // Arrange
        using var manager = DeviceIdentity.Create();
        var review = Guid.NewGuid();
        var (genesis, k0) = EpochRecordBuilder.Genesis(manager, review, ChannelId.Dialogue, [new MemberDevice(manager.PublicKeys, true)], s_now);
        k0.Dispose();
        var chain = new EpochChain(review, ChannelId.Dialogue, [manager.Id]);
        Assert.True(chain.Accept(genesis.Encoded.Span).IsSuccess);
        var tampered = genesis.Encoded.ToArray();
        tampered[^1] ^= 1;

        // Act
        var result = chain.Accept(tampered);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Empty(chain.ConflictingRecords);
    }
}
