using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed partial class ChannelKeyringTests : IDisposable
{
    private readonly ChannelScenario _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Unlock_MemberRemovedInNextEpoch_ReturnsNotAMemberAndHoldsOnlyTheOldKey()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var (chain, records) = _s.Receive(genesis, next);
        var carol = _s.NewKeyring(_s.Carol, chain);
        Assert.True(carol.Unlock(records[0]).IsSuccess);

        // Act
        var result = carol.Unlock(records[1]);

        // Assert
        Assert.Equal(EpochError.NotAMember, result.Error);
        Assert.NotNull(carol.Find(0));
        Assert.Null(carol.Find(1));
        Assert.Null(carol.Current);
    }

    [Fact]
    public void TryUnwrap_RemovedMemberOnEveryWrapOfNewEpoch_OpensNothing()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);

        // Act
        var opened = next.Members
            .Select(m => KeyWrap.TryUnwrap(m.MemberKeyWrappedEpochKey.Span, _s.Carol, next.Review, next.Channel, next.Epoch))
            .Where(k => k is not null)
            .ToList();

        // Assert
        Assert.Equal(2, next.Members.Length);
        Assert.Empty(opened);
    }

    [Fact]
    public void Unlock_RemainingMembersAfterRemoval_ShareTheNewKey()
    {
        // Arrange
        var (genesis, oldKey) = _s.Genesis();
        var (next, newKey) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var (chain, records) = _s.Receive(genesis, next);
        var bob = _s.NewKeyring(_s.Bob, chain);

        // Act
        var result = bob.Unlock(records[1]);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(ChannelScenario.KeyBytes(newKey), ChannelScenario.KeyBytes(result.Value));
        Assert.NotEqual(ChannelScenario.KeyBytes(oldKey), ChannelScenario.KeyBytes(newKey));
    }

    [Fact]
    public void Unlock_RecordNotInTheKeyringsChain_ReturnsOutOfOrder()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var keyring = _s.NewKeyring(_s.Bob, _s.NewChain());

        // Act
        var result = keyring.Unlock(genesis);

        // Assert
        Assert.Equal(EpochError.OutOfOrder, result.Error);
    }

    [Theory]
    [InlineData(0x7fffffffu)]
    [InlineData(0x80000000u)]
    [InlineData(uint.MaxValue)]
    public void Unlock_DecodedRecordWithHugeEpochNotInChain_ReturnsOutOfOrder(uint epoch)
    {
        // Arrange: a record as decoded from the wire (not accepted), with its epoch rewritten.
        var (genesis, _) = _s.Genesis();
        var encoded = genesis.Encoded.ToArray();
        var epochOffset = 2 + 16 + 1 + _s.Channel.Value.Length;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(epochOffset), epoch);
        var decoded = EpochRecordCodec.Decode(encoded);
        Assert.True(decoded.IsSuccess, decoded.ToString());
        var keyring = _s.NewKeyring(_s.Bob, _s.Receive(genesis).Chain);

        // Act
        var error = Record.Exception(() => Assert.Equal(EpochError.OutOfOrder, keyring.Unlock(decoded.Value).Error));

        // Assert
        Assert.Null(error);
        Assert.Equal(epoch, decoded.Value.Epoch);
    }

    [Fact]
    public void Unlock_WrapCopiedFromEarlierEpochForSameDevice_ReturnsInvalid()
    {
        // Arrange: the manager (or anyone who can get a record signed) reuses Bob's epoch-0 wrap in epoch 1.
        var (genesis, _) = _s.Genesis();
        var key1 = _s.KeyOf(1, 0x41);
        var members = new[]
        {
            new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(key1, _s.Manager.PublicKeys)),
            new EpochMember(_s.Bob.PublicKeys, false, genesis.FindMember(_s.Bob.Id)!.MemberKeyWrappedEpochKey),
        };
        var forged = _s.Forge(_s.Manager, 1, genesis.Hash, key1.Commitment(), members);
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var bob = _s.NewKeyring(_s.Bob, chain);

        // Act
        var result = bob.Unlock(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Null(bob.Find(1));
    }

    [Fact]
    public void Unlock_WrapCopiedFromAnotherChannel_ReturnsInvalid()
    {
        // Arrange: Bob's wrap of the reviewers channel's epoch-0 key, placed in the dialogue's genesis.
        var reviewersKey = _s.KeyOf(0, 0x52, ChannelId.Reviewers);
        var dialogueKey = _s.KeyOf(0, 0x52);
        var members = new[]
        {
            new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(dialogueKey, _s.Manager.PublicKeys)),
            new EpochMember(_s.Bob.PublicKeys, false, KeyWrap.Wrap(reviewersKey, _s.Bob.PublicKeys)),
        };
        var forged = _s.Forge(_s.Manager, 0, new byte[32], dialogueKey.Commitment(), members);
        var chain = _s.NewChain();
        Assert.True(chain.Accept(forged).IsSuccess);
        var bob = _s.NewKeyring(_s.Bob, chain);
        var manager = _s.NewKeyring(_s.Manager, chain);

        // Act
        var result = bob.Unlock(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.True(manager.Unlock(forged).IsSuccess);
    }

    [Fact]
    public void Unlock_ManagerWrapsDifferentKeyToOneMember_CommitmentRefusesIt()
    {
        // Arrange: a correctly contextualised wrap of another key for Carol, under the commitment of the real key.
        var (genesis, _) = _s.Genesis();
        var realKey = _s.KeyOf(1, 0x61);
        var otherKey = _s.KeyOf(1, 0x62);
        var members = new[]
        {
            new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(realKey, _s.Manager.PublicKeys)),
            new EpochMember(_s.Bob.PublicKeys, false, KeyWrap.Wrap(realKey, _s.Bob.PublicKeys)),
            new EpochMember(_s.Carol.PublicKeys, false, KeyWrap.Wrap(otherKey, _s.Carol.PublicKeys)),
        };
        var forged = _s.Forge(_s.Manager, 1, genesis.Hash, realKey.Commitment(), members);
        var (chain, _) = _s.Receive(genesis);
        Assert.True(chain.Accept(forged).IsSuccess);
        var bob = _s.NewKeyring(_s.Bob, chain);
        var carol = _s.NewKeyring(_s.Carol, chain);

        // Act
        var bobResult = bob.Unlock(forged);
        var carolResult = carol.Unlock(forged);

        // Assert
        Assert.True(bobResult.IsSuccess, bobResult.ToString());
        Assert.Equal(ChannelScenario.KeyBytes(realKey), ChannelScenario.KeyBytes(bobResult.Value));
        Assert.Equal(EpochError.Invalid, carolResult.Error);
        Assert.Null(carol.Find(1));
    }

    [Fact]
    public void Accept_OutsiderSealedBoxInRecordNotValidlySigned_ReturnsInvalidAndMemberKeepsManagersKey()
    {
        // Arrange: the outsider seals a key of its choice to Bob, with the right context, and swaps it into
        // the manager's signed record; then also tries signing such a record itself.
        var (genesis, _) = _s.Genesis();
        var (one, key1) = _s.Next(genesis, _s.Everyone);
        var spoofed = OutsiderWrap(one, _s.Bob, 0xee);
        var bobWrap = one.FindMember(_s.Bob.Id)!.MemberKeyWrappedEpochKey.ToArray();
        Assert.Equal(bobWrap.Length, spoofed.Length);
        var encoded = one.Encoded.ToArray();
        spoofed.CopyTo(encoded, encoded.AsSpan().IndexOf(bobWrap));
        var outsiderKey = _s.KeyOf(1, 0xee);
        var selfSigned = _s.Forge(
            _s.Outsider, 1, genesis.Hash, outsiderKey.Commitment(),
            [new EpochMember(_s.Outsider.PublicKeys, true, KeyWrap.Wrap(outsiderKey, _s.Outsider.PublicKeys)), new EpochMember(_s.Bob.PublicKeys, false, spoofed)]);
        var (chain, _) = _s.Receive(genesis);
        var bob = _s.NewKeyring(_s.Bob, chain);

        // Act
        var swapped = chain.Accept(encoded);
        var signedByOutsider = chain.Accept(selfSigned);
        var genuine = chain.Accept(one.Encoded.Span);
        var unlocked = bob.Unlock(genuine.Value!);

        // Assert
        Assert.Equal(EpochError.Invalid, swapped.Error);
        Assert.Equal(EpochError.NotAuthorized, signedByOutsider.Error);
        Assert.True(unlocked.IsSuccess, unlocked.ToString());
        Assert.Equal(ChannelScenario.KeyBytes(key1), ChannelScenario.KeyBytes(unlocked.Value));
    }

    [Fact]
    public void AddAuthored_KeyOfAnotherEpoch_Throws()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (chain, records) = _s.Receive(genesis);
        var manager = _s.NewKeyring(_s.Manager, chain);

        // Act
        var error = Record.Exception(() => manager.AddAuthored(records[0], _s.KeyOf(0, 0xa1)));

        // Assert
        Assert.IsType<ArgumentException>(error);
        Assert.Null(manager.Find(0));
    }

    [Fact]
    public void ToString_EpochKey_ShowsNoKeyMaterial()
    {
        // Arrange
        var key = _s.KeyOf(0, 0xab);

        // Act
        var text = key.ToString();

        // Assert
        Assert.Equal(nameof(EpochKey), text);
    }

    // A plain crypto_box_seal of "version review channel epoch key" to the member, as KeyWrap lays it out.
    private static byte[] OutsiderWrap(EpochRecord record, DeviceIdentity recipient, byte fill)
    {
        var plain = new CanonicalWriter();
        plain.WriteByte(ProtocolConstants.Version);
        EpochRecord.WriteContext(plain, record.Review, record.Channel);
        plain.WriteUInt32(record.Epoch);
        plain.WriteBytes(Enumerable.Repeat(fill, EpochKey.Size).ToArray());
        var sealedBox = new byte[plain.Length + X25519.SealOverhead];
        Assert.True(X25519.TrySeal(recipient.PublicKeys.AgreementKey, plain.WrittenSpan, sealedBox));
        return sealedBox;
    }
}
