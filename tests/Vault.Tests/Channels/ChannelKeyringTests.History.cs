using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

/// <summary>Earlier epoch keys granted to a member who joins later.</summary>
public sealed partial class ChannelKeyringTests
{
    [Fact]
    public void Unlock_NewMemberWithHistoryGrant_GetsEveryEarlierKeyMatchingItsCommitment()
    {
        // Arrange
        var (genesis, key0) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var (one, key1) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var (managerChain, managerRecords) = _s.Receive(genesis, one);
        var managerKeyring = _s.NewKeyring(_s.Manager, managerChain);
        Assert.True(managerKeyring.Unlock(managerRecords[0]).IsSuccess);
        Assert.True(managerKeyring.Unlock(managerRecords[1]).IsSuccess);
        var (two, key2) = _s.Next(one, _s.Everyone, authorKeyring: managerKeyring, historyFor: [(_s.Carol.Id, 0)]);
        var (chain, records) = _s.Receive(genesis, one, two);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var result = carol.Unlock(records[2]);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Single(two.HistoryGrants);
        EpochKey[] expected = [key0, key1, key2];
        for (uint epoch = 0; epoch <= 2; epoch++)
        {
            var held = carol.Find(epoch);
            Assert.NotNull(held);
            Assert.Equal(epoch, held.Epoch);
            Assert.Equal(ChannelScenario.KeyBytes(expected[epoch]), ChannelScenario.KeyBytes(held));
            Assert.Equal(records[(int)epoch].KeyCommitment.ToArray(), held.Commitment());
        }

        Assert.Equal(EpochError.NotAMember, carol.Unlock(records[0]).Error);
    }

    [Fact]
    public void Unlock_HistoryGrantFromEpochOne_GivesEpochsOneAndTwoOnly()
    {
        // Arrange
        var (genesis, _) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var (one, key1) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var managerKeyring = _s.NewKeyring(_s.Manager, _s.NewChain());
        Assert.True(managerKeyring.Chain.Accept(genesis).IsSuccess && managerKeyring.Chain.Accept(one).IsSuccess);
        managerKeyring.AddAuthored(one, key1);
        var (two, _) = _s.Next(one, _s.Everyone, authorKeyring: managerKeyring, historyFor: [(_s.Carol.Id, 1)]);
        var (chain, records) = _s.Receive(genesis, one, two);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var result = carol.Unlock(records[2]);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Null(carol.Find(0));
        Assert.Equal(ChannelScenario.KeyBytes(key1), ChannelScenario.KeyBytes(carol.Find(1)!));
        Assert.NotNull(carol.Find(2));
    }

    [Fact]
    public void Unlock_NewMemberWithoutHistoryGrant_HoldsOnlyTheNewEpochKey()
    {
        // Arrange
        var (genesis, _) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var (one, _) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var (two, key2) = _s.Next(one, _s.Everyone);
        var (chain, records) = _s.Receive(genesis, one, two);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var results = records.Select(carol.Unlock).ToList();

        // Assert
        Assert.Equal(EpochError.NotAMember, results[0].Error);
        Assert.Equal(EpochError.NotAMember, results[1].Error);
        Assert.True(results[2].IsSuccess, results[2].ToString());
        Assert.Empty(two.HistoryGrants);
        Assert.Null(carol.Find(0));
        Assert.Null(carol.Find(1));
        Assert.Equal(ChannelScenario.KeyBytes(key2), ChannelScenario.KeyBytes(carol.Find(2)!));
    }

    [Fact]
    public void Unlock_HistoryGrantWithKeysThatDoNotMatchCommitments_ReturnsInvalidAndStoresNothing()
    {
        // Arrange: the manager "grants" made-up history keys for epoch 0.
        var (genesis, _) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var key1 = _s.KeyOf(1, 0x71);
        var fakeHistory = HistoryKeys.Seal([_s.KeyOf(0, 0x72)], _s.Carol.PublicKeys);
        var forged = ForgeWithGrant(genesis, key1, new HistoryGrant(_s.Carol.Id, 0, fakeHistory));
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var result = carol.Unlock(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Null(carol.Find(0));
        Assert.Null(carol.Find(1));
    }

    [Fact]
    public void Unlock_HistoryGrantWithMoreKeysThanEpochs_ReturnsInvalidWithoutThrowing()
    {
        // Arrange: epoch 1 grants epochs 0, 1 and 2 (only epoch 0 is history; 2 does not exist yet).
        var (genesis, key0) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var key1 = _s.KeyOf(1, 0x81);
        var history = HistoryKeys.Seal([key0, key1, _s.KeyOf(2, 0x82)], _s.Carol.PublicKeys);
        var forged = ForgeWithGrant(genesis, key1, new HistoryGrant(_s.Carol.Id, 0, history));
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var error = Record.Exception(() => Assert.Equal(EpochError.Invalid, carol.Unlock(forged).Error));

        // Assert
        Assert.Null(error);
        Assert.Null(carol.Find(0));
        Assert.Null(carol.Find(1));
    }

    [Fact]
    public void Unlock_HistoryGrantSealedToAnotherDevice_ReturnsInvalid()
    {
        // Arrange: Bob's grant placed in Carol's entry.
        var (genesis, key0) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var key1 = _s.KeyOf(1, 0x91);
        var sealedForBob = HistoryKeys.Seal([key0], _s.Bob.PublicKeys);
        var forged = ForgeWithGrant(genesis, key1, new HistoryGrant(_s.Carol.Id, 0, sealedForBob));
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var result = carol.Unlock(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
    }

    [Fact]
    public void Unlock_HistoryGrantSealedToMeButNamingAnotherRecipient_ReturnsInvalid()
    {
        // Arrange: the genuine epoch-0 key, sealed to Carol, but its signed-over prefix names Bob.
        var (genesis, key0) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var key1 = _s.KeyOf(1, 0x92);
        var plain = new CanonicalWriter();
        plain.WriteByte(ProtocolConstants.Version);
        EpochRecord.WriteContext(plain, _s.Review, _s.Channel);
        plain.WriteBytes(_s.Bob.Id.Bytes);
        plain.WriteUInt16(1);
        plain.WriteUInt32(0);
        plain.WriteBytes(ChannelScenario.KeyBytes(key0));
        var sealedBox = new byte[plain.Length + X25519.SealOverhead];
        Assert.True(X25519.TrySeal(_s.Carol.PublicKeys.AgreementKey, plain.WrittenSpan, sealedBox));
        var forged = ForgeWithGrant(genesis, key1, new HistoryGrant(_s.Carol.Id, 0, sealedBox));
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var result = carol.Unlock(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Null(carol.Find(0));
    }

    private EpochRecord ForgeWithGrant(EpochRecord previous, EpochKey key, HistoryGrant grant)
    {
        var members = new[]
        {
            new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(key, _s.Manager.PublicKeys)),
            new EpochMember(_s.Bob.PublicKeys, false, KeyWrap.Wrap(key, _s.Bob.PublicKeys)),
            new EpochMember(_s.Carol.PublicKeys, false, KeyWrap.Wrap(key, _s.Carol.PublicKeys)),
        };
        return _s.Forge(_s.Manager, previous.Epoch + 1, previous.Hash, key.Commitment(), members, [grant]);
    }
}
