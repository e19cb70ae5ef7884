using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed class EpochRecordBuilderTests : IDisposable
{
    private readonly ChannelScenario _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Genesis_AuthorNotListed_Throws()
    {
        // Arrange
        MemberDevice[] members = [new(_s.Bob.PublicKeys, MayManage: true)];

        // Act
        var error = Record.Exception(() => _s.Genesis(members));

        // Assert
        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Genesis_DeviceListedTwice_Throws()
    {
        // Arrange
        MemberDevice[] members = [.. _s.Everyone, new(_s.Bob.PublicKeys, MayManage: true)];

        // Act
        var error = Record.Exception(() => _s.Genesis(members));

        // Assert
        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Genesis_NoMembers_Throws()
    {
        // Arrange
        MemberDevice[] members = [];

        // Act
        var error = Record.Exception(() => _s.Genesis(members));

        // Assert
        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Next_HistoryForDeviceNotListed_Throws()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var keyring = _s.NewKeyring(_s.Manager, _s.Receive(genesis).Chain);

        // Act
        var error = Record.Exception(() => _s.Next(genesis, _s.Everyone, authorKeyring: keyring, historyFor: [(_s.Outsider.Id, 0)]));

        // Assert
        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Next_HistoryWithoutAuthorKeyring_Throws()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();

        // Act
        var error = Record.Exception(() => _s.Next(genesis, _s.Everyone, historyFor: [(_s.Carol.Id, 0)]));

        // Assert
        Assert.IsType<ArgumentNullException>(error);
    }

    [Fact]
    public void Next_HistoryTheAuthorDoesNotHold_Throws()
    {
        // Arrange
        var (genesis, _) = _s.Genesis();
        var emptyKeyring = _s.NewKeyring(_s.Manager, _s.Receive(genesis).Chain);

        // Act
        var error = Record.Exception(() => _s.Next(genesis, _s.Everyone, authorKeyring: emptyKeyring, historyFor: [(_s.Carol.Id, 0)]));

        // Assert
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void Genesis_CreatedAt_IsKeptToTheMillisecond()
    {
        // Arrange
        var createdAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(12_345);

        // Act
        var (record, key) = EpochRecordBuilder.Genesis(_s.Manager, _s.Review, _s.Channel, _s.Everyone, createdAt);
        _s.Own(key);

        // Assert
        Assert.Equal(createdAt.ToUnixTimeMilliseconds(), record.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(0, record.CreatedAt.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.Equal(record.CreatedAt, EpochRecordCodec.Decode(record.Encoded.Span).Value!.CreatedAt);
    }

    [Fact]
    public void Genesis_EveryMember_GetsItsOwnWrapAndTheCommitmentOfTheKey()
    {
        // Arrange
        var members = _s.Everyone;

        // Act
        var (record, key) = _s.Genesis(members);

        // Assert
        Assert.Equal(members.Select(m => m.Device.Id), record.Members.Select(m => m.Device.Id));
        Assert.Equal(members.Select(m => m.MayManage), record.Members.Select(m => m.MayManage));
        Assert.Equal(3, record.Members.Select(m => Hex.Encode(m.MemberKeyWrappedEpochKey.Span)).Distinct().Count());
        Assert.Equal(key.Commitment(), record.KeyCommitment.ToArray());
        Assert.Equal(_s.Manager.Id, record.Author);
    }

    [Fact]
    public void Commitment_SameKeyBytesInAnotherContext_Differs()
    {
        // Arrange
        var a = _s.KeyOf(0, 0x10);
        var otherEpoch = _s.KeyOf(1, 0x10);
        var otherChannel = _s.KeyOf(0, 0x10, ChannelId.Reviewers);

        // Act
        var commitments = new[] { a.Commitment(), otherEpoch.Commitment(), otherChannel.Commitment() }.Select(c => Hex.Encode(c));

        // Assert
        Assert.Equal(3, commitments.Distinct().Count());
    }

    [Theory]
    [InlineData(1u, false, false)]
    [InlineData(0u, true, false)]
    [InlineData(0u, false, true)]
    public void TryUnwrap_WrapForAnotherEpochReviewOrChannel_ReturnsNull(uint epoch, bool otherReview, bool otherChannel)
    {
        // Arrange
        var key = _s.KeyOf(0, 0x20);
        var wrap = KeyWrap.Wrap(key, _s.Bob.PublicKeys);
        var review = otherReview ? Guid.NewGuid() : _s.Review;
        var channel = otherChannel ? ChannelId.Reviewers : _s.Channel;

        // Act
        var unwrapped = KeyWrap.TryUnwrap(wrap, _s.Bob, review, channel, epoch);
        var genuine = KeyWrap.TryUnwrap(wrap, _s.Bob, _s.Review, _s.Channel, 0);
        _s.Own(genuine!);

        // Assert
        Assert.Null(unwrapped);
        Assert.NotNull(genuine);
        Assert.Equal(ChannelScenario.KeyBytes(key), ChannelScenario.KeyBytes(genuine));
    }

    [Fact]
    public void TryUnwrap_SealedBoxOfWrongLength_ReturnsNull()
    {
        // Arrange
        var tooShort = new byte[X25519.SealOverhead];
        var tooLong = new byte[EpochRecord.WrappedKeySize + 1];

        // Act
        var a = KeyWrap.TryUnwrap(tooShort, _s.Bob, _s.Review, _s.Channel, 0);
        var b = KeyWrap.TryUnwrap(tooLong, _s.Bob, _s.Review, _s.Channel, 0);

        // Assert
        Assert.Null(a);
        Assert.Null(b);
    }
}
