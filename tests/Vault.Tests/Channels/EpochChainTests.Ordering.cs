using SecureDialogue.Vault.Channels;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

/// <summary>Replays, forks, foreign context and ordering.</summary>
public sealed partial class EpochChainTests
{
    [Fact]
    public void Accept_SameRecordAgain_ReturnsReplayedWithNoSecondEffect()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, _s.Everyone);
        var (chain, _) = _s.Receive(genesis, next);

        // Act
        var replayGenesis = chain.Accept(genesis.Encoded.Span);
        var replayNext = chain.Accept(next.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.Replayed, replayGenesis.Error);
        Assert.Equal(EpochError.Replayed, replayNext.Error);
        Assert.Equal(2, chain.Records.Count);
        Assert.Equal(next.Hash, chain.Current!.Hash);
    }

    [Fact]
    public void Accept_DifferentSignedRecordForAcceptedEpoch_ReturnsFork()
    {
        // Arrange: the anchor's genuine but second genesis, e.g. shown to another client.
        var (genesis, _) = _s.Genesis();
        var (other, _) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var (chain, _) = _s.Receive(genesis);

        // Act
        var result = chain.Accept(other.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.Fork, result.Error);
        Assert.Equal(genesis.Hash, chain.Current!.Hash);
    }

    [Fact]
    public void Accept_UnsignedRecordForAcceptedEpoch_ReturnsInvalidNotFork()
    {
        // Arrange: a second genesis whose signature is broken is garbage, not evidence of a fork.
        var (genesis, _) = _s.Genesis();
        var (other, _) = _s.Genesis([.. _s.Everyone.Take(2)]);
        var (chain, _) = _s.Receive(genesis);
        var encoded = other.Encoded.ToArray();
        encoded[^1] ^= 0x01;

        // Act
        var result = chain.Accept(encoded);

        // Assert
        Assert.Equal(EpochError.Invalid, result.Error);
        Assert.Equal(genesis.Hash, chain.Current!.Hash);
    }

    [Fact]
    public void Accept_RecordForAcceptedEpochSignedByOutsider_ReturnsNotAuthorizedNotFork()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (next, _) = _s.Next(genesis, _s.Everyone);
        var (byOutsider, _) = _s.Next(genesis, [new(_s.Outsider.PublicKeys, MayManage: true)], author: _s.Outsider);
        var (chain, _) = _s.Receive(genesis, next);

        // Act
        var result = chain.Accept(byOutsider.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, result.Error);
    }

    [Fact]
    public void Accept_SecondRecordForEpochOneSignedByManager_ReturnsFork()
    {
        // Arrange: the manager equivocates on epoch 1 (e.g. one view with Carol, one without).
        var (genesis, _) = _s.Genesis();
        var (withCarol, _) = _s.Next(genesis, _s.Everyone);
        var (withoutCarol, _) = _s.Next(genesis, [.. _s.Everyone.Take(2)]);
        var (chain, _) = _s.Receive(genesis, withCarol);

        // Act
        var result = chain.Accept(withoutCarol.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.Fork, result.Error);
        Assert.Equal(withCarol.Hash, chain.Current!.Hash);
    }

    [Fact]
    public void Accept_RecordOfAnotherReview_ReturnsWrongContext()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var chain = new EpochChain(Guid.NewGuid(), _s.Channel, [_s.Manager.Id]);

        // Act
        var result = chain.Accept(genesis.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.WrongContext, result.Error);
    }

    [Fact]
    public void Accept_RecordOfAnotherChannel_ReturnsWrongContext()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var chain = new EpochChain(_s.Review, ChannelId.Reviewers, [_s.Manager.Id]);

        // Act
        var result = chain.Accept(genesis.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.WrongContext, result.Error);
    }

    [Fact]
    public void Accept_SkippedEpoch_ReturnsOutOfOrder()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (one, _) = _s.Next(genesis, _s.Everyone);
        var (two, _) = _s.Next(one, _s.Everyone);
        var (chain, _) = _s.Receive(genesis);

        // Act
        var result = chain.Accept(two.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.OutOfOrder, result.Error);
        Assert.Single(chain.Records);
    }

    [Fact]
    public void Accept_LaterEpochIntoEmptyChain_ReturnsOutOfOrder()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var (one, _) = _s.Next(genesis, _s.Everyone);

        // Act
        var result = _s.NewChain().Accept(one.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.OutOfOrder, result.Error);
    }

    [Fact]
    public void Accept_WrongPreviousHash_ReturnsOutOfOrder()
    {
        // Arrange: epoch 1 signed by the manager but linked to another genesis (a fork's child).
        var (genesis, _) = _s.Genesis();
        var (otherGenesis, _) = _s.Genesis();
        var (child, _) = _s.Next(otherGenesis, _s.Everyone);
        var (chain, _) = _s.Receive(genesis);

        // Act
        var result = chain.Accept(child.Encoded.Span);

        // Assert
        Assert.Equal(EpochError.OutOfOrder, result.Error);
    }

    [Fact]
    public void Accept_GenesisWithNonZeroPreviousHash_ReturnsOutOfOrder()
    {
        // Arrange
        var key = _s.KeyOf(0, 0x22);
        var members = new[] { new EpochMember(_s.Manager.PublicKeys, true, KeyWrap.Wrap(key, _s.Manager.PublicKeys)) };
        var forged = _s.Forge(_s.Manager, 0, Enumerable.Repeat((byte)1, 32).ToArray(), key.Commitment(), members);

        // Act
        var result = _s.NewChain().Accept(forged);

        // Assert
        Assert.Equal(EpochError.OutOfOrder, result.Error);
    }
}
