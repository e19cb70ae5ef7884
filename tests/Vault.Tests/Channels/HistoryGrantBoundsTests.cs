using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed class HistoryGrantBoundsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Unlock_GrantSealsKeysForEpochsNotYetAccepted_InvalidWithoutException()
    {
        // Arrange: a signed epoch 1 whose history grant (first epoch 0) seals keys numbered 0, 1 and 2.
        // Epoch 2 does not exist in the chain; the keyring must refuse the grant, not index past the chain.
        var review = Guid.NewGuid();
        var channel = ChannelId.Dialogue;
        using var manager = DeviceIdentity.Create();
        using var newcomer = DeviceIdentity.Create();
        var (genesis, key0) = EpochRecordBuilder.Genesis(manager, review, channel, [new MemberDevice(manager.PublicKeys, true)], s_now);
        using var bogus1 = EpochKey.FromBytes(review, channel, 1, new byte[32]);
        using var bogus2 = EpochKey.FromBytes(review, channel, 2, new byte[32]);
        var (next, key1) = EpochRecordBuilder.Build(
            manager, review, channel, 1, genesis.Hash,
            [new MemberDevice(manager.PublicKeys, true), new MemberDevice(newcomer.PublicKeys)],
            [(newcomer.PublicKeys, [key0, bogus1, bogus2], 0u)],
            s_now, RandomSource.Default);
        var chain = new EpochChain(review, channel, [manager.Id]);
        Assert.True(chain.Accept(genesis.Encoded.Span).IsSuccess);
        Assert.True(chain.Accept(next.Encoded.Span).IsSuccess);
        using var keyring = new ChannelKeyring(newcomer, chain);

        // Act
        var result = keyring.Unlock(chain.Records[1]);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Null(keyring.Find(0));
        Assert.Null(keyring.Find(1));
        key0.Dispose();
        key1.Dispose();
    }
}
