using System.Buffers.Binary;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed partial class EpochChainTests : IDisposable
{
    private readonly ChannelScenario _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Accept_GenesisByTrustAnchor_AppendsEpochZero()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var chain = _s.NewChain();

        // Act
        var result = chain.Accept(genesis);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Same(genesis, chain.Current);
        Assert.Single(chain.Records);
        Assert.Equal(0u, genesis.Epoch);
        Assert.Equal(new byte[32], genesis.PreviousRecordHash.ToArray());
    }

    [Fact]
    public void Unlock_EveryMemberOfGenesis_GetsTheAuthorsKey()
    {
        // Arrange
        var (genesis, key) = _s.Genesis();
        var expected = Hex.Encode(ChannelScenario.KeyBytes(key));
        var unlocked = new List<string>();

        // Act
        foreach (var member in new[] { _s.Manager, _s.Bob, _s.Carol })
        {
            var (chain, records) = _s.Receive(genesis);
            var keyring = _s.NewKeyring(member, chain);
            var result = keyring.Unlock(records[0]);
            Assert.True(result.IsSuccess, result.ToString());
            unlocked.Add(Hex.Encode(ChannelScenario.KeyBytes(result.Value)));
            Assert.Same(result.Value, keyring.Current);
        }

        // Assert
        Assert.Equal([expected, expected, expected], unlocked);
    }

    [Fact]
    public void Decode_EncodedRecord_RoundTripsEveryField()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);

        // Act
        var decoded = EpochRecordCodec.Decode(next.Encoded.Span);

        // Assert
        Assert.True(decoded.IsSuccess, decoded.ToString());
        var record = decoded.Value;
        Assert.Equal(next.Review, record.Review);
        Assert.Equal(next.Channel, record.Channel);
        Assert.Equal(1u, record.Epoch);
        Assert.Equal(genesis.Hash, record.PreviousRecordHash.ToArray());
        Assert.Equal(next.Author, record.Author);
        Assert.Equal(next.CreatedAt, record.CreatedAt);
        Assert.Equal(next.KeyCommitment.ToArray(), record.KeyCommitment.ToArray());
        Assert.Equal(next.Members.Select(m => (m.Device.Id, m.MayManage)), record.Members.Select(m => (m.Device.Id, m.MayManage)));
        Assert.Equal(next.Members.Select(m => Hex.Encode(m.MemberKeyWrappedEpochKey.Span)), record.Members.Select(m => Hex.Encode(m.MemberKeyWrappedEpochKey.Span)));
        Assert.Equal(next.Encoded.ToArray(), record.Encoded.ToArray());
        Assert.Equal(next.Hash, record.Hash);
    }

    [Fact]
    public void Accept_EncodedRecordsInFreshChain_AcceptsTheSameChain()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, _s.Everyone);
        var fresh = _s.NewChain();

        // Act
        var first = fresh.Accept(genesis.Encoded.Span);
        var second = fresh.Accept(next.Encoded.Span);

        // Assert
        Assert.True(first.IsSuccess && second.IsSuccess, $"{first} {second}");
        Assert.Equal(next.Hash, fresh.Current!.Hash);
        Assert.Equal(2, fresh.Records.Count);
    }

    [Fact]
    public void Accept_DeviceAddedToMemberListAfterSigning_ReturnsInvalidAndGhostGetsNoKey()
    {
        // Arrange: the server inserts the outsider's card, with a wrap of the real key, into a signed record.
        var (genesis, key) = _s.Genesis();
        var encoded = genesis.Encoded.ToArray();
        var firstCard = encoded.AsSpan().IndexOf(genesis.Members[0].Device.Encode());
        var countOffset = firstCard - 2;
        var wrap = KeyWrap.Wrap(key, _s.Outsider.PublicKeys);
        var entry = new byte[130 + 1 + 2 + wrap.Length];
        _s.Outsider.PublicKeys.Encode().CopyTo(entry, 0);
        BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(131), (ushort)wrap.Length);
        wrap.CopyTo(entry, 133);
        byte[] ghost = [.. encoded[..firstCard], .. entry, .. encoded[firstCard..]];
        BinaryPrimitives.WriteUInt16BigEndian(ghost.AsSpan(countOffset), (ushort)(genesis.Members.Length + 1));
        var decoded = EpochRecordCodec.Decode(ghost);
        var chain = _s.NewChain();
        var ghostKeyring = _s.NewKeyring(_s.Outsider, chain);

        // Act
        var result = chain.Accept(ghost);

        // Assert
        Assert.True(decoded.IsSuccess, "the edit must be structurally valid so that only the signature catches it");
        Assert.Equal(4, decoded.Value.Members.Length);
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Empty(chain.Records);
        Assert.Equal(EpochError.OutOfOrder, ghostKeyring.Unlock(decoded.Value).Error);
        Assert.Null(ghostKeyring.Find(0));
    }

    [Fact]
    public void Accept_MemberCardReplacedAfterSigning_ReturnsInvalid()
    {
        // Arrange: the server swaps Carol's card for the outsider's.
        var (genesis, _) = _s.Genesis();
        var encoded = genesis.Encoded.ToArray();
        var carol = encoded.AsSpan().IndexOf(_s.Carol.PublicKeys.Encode());
        _s.Outsider.PublicKeys.Encode().CopyTo(encoded, carol);

        // Act
        var result = _s.NewChain().Accept(encoded);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
    }

    [Fact]
    public void Accept_ManageFlagRaisedAfterSigning_ReturnsInvalid()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var encoded = genesis.Encoded.ToArray();
        var bob = encoded.AsSpan().IndexOf(_s.Bob.PublicKeys.Encode());
        encoded[bob + 130] = 1;

        // Act
        var result = _s.NewChain().Accept(encoded);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
    }

    [Fact]
    public void Accept_GenesisSignedByMemberWhoIsNotAnAnchor_ReturnsNotAuthorized()
    {
        // Arrange
        var (genesis, _) = _s.Genesis(author: _s.Bob);

        // Act
        var result = _s.NewChain().Accept(genesis.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, result.Error);
    }

    [Fact]
    public void Accept_NextSignedByMemberWhoMayNotManage_ReturnsNotAuthorized()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (chain, _) = _s.Receive(genesis);
        var (next, _) = _s.Next(genesis, [new(_s.Bob.PublicKeys, MayManage: true), new(_s.Carol.PublicKeys)], author: _s.Bob);

        // Act
        var result = chain.Accept(next.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, result.Error);
        Assert.Single(chain.Records);
    }

    [Fact]
    public void Accept_NextSignedByOutsider_ReturnsNotAuthorized()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (chain, _) = _s.Receive(genesis);
        var (next, _) = _s.Next(genesis, [new(_s.Outsider.PublicKeys, MayManage: true), new(_s.Bob.PublicKeys)], author: _s.Outsider);

        // Act
        var result = chain.Accept(next.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, result.Error);
    }

    [Fact]
    public void Accept_RecordWhoseAuthorIsNotListed_ReturnsNotAuthorized()
    {
        // Arrange: the anchor signs a genesis that does not list it, so its keys cannot be looked up.
        var key = _s.KeyOf(0, 0x11);
        var members = new[] { new EpochMember(_s.Bob.PublicKeys, true, KeyWrap.Wrap(key, _s.Bob.PublicKeys)) };
        var forged = _s.Forge(_s.Manager, 0, new byte[32], key.Commitment(), members);

        // Act
        var result = _s.NewChain().Accept(forged);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, result.Error);
    }

    [Fact]
    public void Accept_SameDeviceListedTwice_ReturnsInvalid()
    {
        // Arrange
        var key = _s.KeyOf(0, 0x33);
        var wrap = KeyWrap.Wrap(key, _s.Bob.PublicKeys);
        var members = new[]
        {
            new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(key, _s.Manager.PublicKeys)),
            new EpochMember(_s.Bob.PublicKeys, false, wrap),
            new EpochMember(_s.Bob.PublicKeys, true, wrap),
        };
        var forged = _s.Forge(_s.Manager, 0, new byte[32], key.Commitment(), members);

        // Act
        var result = _s.NewChain().Accept(forged);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
    }

    [Fact]
    public void Accept_EverySingleByteFlipOfSignedRecord_ReturnsTypedError()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var encoded = genesis.Encoded.ToArray();
        var chain = _s.NewChain();
        var outcomes = new List<(int Position, EpochError Error, bool Success)>();

        // Act
        for (var position = 0; position < encoded.Length; position++)
        {
            var tampered = encoded.ToArray();
            tampered[position] ^= 0x01;
            var result = chain.Accept(tampered);
            outcomes.Add((position, result.Error, result.IsSuccess));
        }

        // Assert
        Assert.DoesNotContain(outcomes, o => o.Success || o.Error == EpochError.None);
        Assert.Empty(chain.Records);
    }
}
