using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class EnvelopeOpenerTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Open_SealedByMember_ReturnsSegmentsAndHeader()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "Could you clarify article 5?", "Deuxième paragraphe — مرحبا");

        // Act
        var opened = EnvelopeOpener.Open(envelope.Encoded, _f.ReviewerKeyring);

        // Assert
        Assert.True(opened.IsSuccess, opened.ToString());
        Assert.Equal(["Could you clarify article 5?", "Deuxième paragraphe — مرحبا"], opened.Value.Segments.Select(s => s.TextContent));
        Assert.Equal(_f.Expert.Id, opened.Value.Header.Sender);
        Assert.Equal(ItemKind.RequestForClarification, opened.Value.Header.Kind);
        Assert.Equal("fr", opened.Value.Header.Language.Value);
        Assert.Equal(EnvelopeFixture.Now, opened.Value.Header.CreatedAt);
        Assert.Equal(1UL, opened.Value.Header.Counter);
    }

    [Fact]
    public void Open_EveryByteFlipped_FailsWithTypedErrorAndNoPlaintext()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "secret marker 7f3a");
        var bytes = envelope.Encoded.ToArray();
        var errors = new HashSet<EnvelopeError>();

        // Act
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            var result = EnvelopeOpener.Open(copy, _f.ReviewerKeyring);

            // Assert
            Assert.False(result.IsSuccess, $"flip at {i} was accepted");
            errors.Add(result.Error);
        }

        // Signature, ciphertext, tag and commitments all collapse into one error; the rest is structural or context.
        Assert.Contains(EnvelopeError.Invalid, errors);
        Assert.Subset(
            new HashSet<EnvelopeError> { EnvelopeError.Invalid, EnvelopeError.Malformed, EnvelopeError.UnsupportedVersion, EnvelopeError.WrongContext, EnvelopeError.UnknownEpoch, EnvelopeError.UnknownSender, EnvelopeError.SenderRemoved },
            errors);
    }

    [Fact]
    public void Open_CiphertextOrSignatureFlipped_AlwaysTheSameError()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "x");
        var bytes = envelope.Encoded.ToArray();
        var bodyStart = envelope.HeaderBytes.Length + 4;

        // Act + Assert: from the ciphertext to the end, every variant gives exactly Invalid.
        for (var i = bodyStart; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x80;
            Assert.Equal(EnvelopeError.Invalid, EnvelopeOpener.Open(copy, _f.ReviewerKeyring).Error);
        }
    }

    [Fact]
    public void Open_DeliveredInAnotherChannel_WrongContext()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "for the dialogue channel only");
        using var reviewers = _f.KeyringFor(_f.Reviewer, ChannelId.Reviewers);

        // Act
        var result = EnvelopeOpener.Open(envelope.Encoded, reviewers);

        // Assert
        Assert.Equal(EnvelopeError.WrongContext, result.Error);
    }

    [Fact]
    public void Open_DeliveredInAnotherReview_WrongContext()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "review A");
        using var other = new EnvelopeFixture();

        // Act
        var result = EnvelopeOpener.Open(envelope.Encoded, other.ReviewerKeyring);

        // Assert
        Assert.Equal(EnvelopeError.WrongContext, result.Error);
    }

    [Fact]
    public void Open_HeaderRewrittenToAnotherChannelWithSameLength_Invalid()
    {
        // Arrange: "dialogue" -> "reviewr1" keeps the length; only the signature/AD can catch it.
        var envelope = _f.SealFromExpert(1, "redirect me");
        var bytes = envelope.Encoded.ToArray();
        var name = "dialogue"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(name);
        "reviewr1"u8.CopyTo(bytes.AsSpan(at));
        using var target = _f.KeyringFor(_f.Reviewer, ChannelId.Parse("reviewr1"));

        // Act
        var result = EnvelopeOpener.Open(bytes, target);

        // Assert
        Assert.Equal(EnvelopeError.Invalid, result.Error);
    }

    [Fact]
    public void Open_SenderNotMemberOfEpoch_UnknownSender()
    {
        // Arrange: an outsider with its own key for the same context cannot post as a member.
        using var outsider = SecureDialogue.Vault.Keys.DeviceIdentity.Create();
        var (_, outsiderKey) = EpochRecordBuilder.Genesis(outsider, _f.Review, _f.Channel, [new MemberDevice(outsider.PublicKeys, true)], EnvelopeFixture.Now);
        using (outsiderKey)
        {
            var forged = EnvelopeSealer.Seal(outsider, outsiderKey, 1, _f.Draft("I am a member, trust me"), EnvelopeFixture.Now);

            // Act
            var result = EnvelopeOpener.Open(forged.Encoded, _f.ReviewerKeyring);

            // Assert
            Assert.Equal(EnvelopeError.UnknownSender, result.Error);
        }
    }

    [Fact]
    public void Open_RemovedMember_CannotReadNewEpochAndCannotPostInIt()
    {
        // Arrange: the manager rotates without the reviewer.
        var (next, nextKey) = EpochRecordBuilder.Next(
            _f.Manager, _f.Genesis,
            [new MemberDevice(_f.Manager.PublicKeys, true), new MemberDevice(_f.Expert.PublicKeys)],
            EnvelopeFixture.Now.AddMinutes(5));
        nextKey.Dispose();
        Assert.True(_f.ExpertKeyring.Chain.Accept(next.Encoded.Span).IsSuccess);
        Assert.True(_f.ExpertKeyring.Unlock(_f.ExpertKeyring.Chain.Records[1]).IsSuccess);
        Assert.True(_f.ReviewerKeyring.Chain.Accept(next.Encoded.Span).IsSuccess);
        Assert.Equal(EpochError.NotAMember, _f.ReviewerKeyring.Unlock(_f.ReviewerKeyring.Chain.Records[1]).Error);
        var afterRemoval = EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Find(1)!, 2, _f.Draft("after removal"), EnvelopeFixture.Now);

        // Act
        var read = EnvelopeOpener.Open(afterRemoval.Encoded, _f.ReviewerKeyring);
        var reviewerPostInOldEpoch = EnvelopeSealer.Seal(_f.Reviewer, _f.ReviewerKeyring.Find(0)!, 1, _f.Draft("still here?"), EnvelopeFixture.Now);
        var forgedNewEpoch = ForgeEpoch(reviewerPostInOldEpoch, 1);

        // Assert
        Assert.Equal(EnvelopeError.UnknownEpoch, read.Error);
        Assert.Null(_f.ReviewerKeyring.Find(1));
        Assert.Equal(EnvelopeError.UnknownSender, EnvelopeOpener.Open(forgedNewEpoch, _f.ExpertKeyring).Error);
        Assert.Equal(EnvelopeError.SenderRemoved, EnvelopeOpener.Open(reviewerPostInOldEpoch.Encoded, _f.ExpertKeyring).Error);
    }

    [Fact]
    public void Open_RemovedMembersEarlierItemAsHistory_StillReadable()
    {
        // Arrange: the reviewer posted in epoch 0, then was removed in epoch 1.
        var before = EnvelopeSealer.Seal(_f.Reviewer, _f.ReviewerKeyring.Find(0)!, 1, _f.Draft("said before removal"), EnvelopeFixture.Now);
        var (next, nextKey) = EpochRecordBuilder.Next(
            _f.Manager, _f.Genesis, [new MemberDevice(_f.Manager.PublicKeys, true), new MemberDevice(_f.Expert.PublicKeys)], EnvelopeFixture.Now);
        nextKey.Dispose();
        Assert.True(_f.ExpertKeyring.Chain.Accept(next.Encoded.Span).IsSuccess);

        // Act
        var asNew = EnvelopeOpener.Open(before.Encoded, _f.ExpertKeyring);
        var asHistory = EnvelopeOpener.Open(before.Encoded, _f.ExpertKeyring, historical: true);

        // Assert
        Assert.Equal(EnvelopeError.SenderRemoved, asNew.Error);
        Assert.True(asHistory.IsSuccess);
        Assert.Equal("said before removal", asHistory.Value.Text);
    }

    [Fact]
    public void Open_NewMemberWithoutHistoryGrant_CannotReadEarlierEpoch()
    {
        // Arrange
        var early = _f.SealFromExpert(1, "before the new expert joined");
        using var newcomer = SecureDialogue.Vault.Keys.DeviceIdentity.Create();
        var members = new[] { new MemberDevice(_f.Manager.PublicKeys, true), new MemberDevice(_f.Expert.PublicKeys), new MemberDevice(newcomer.PublicKeys) };
        var (next, key) = EpochRecordBuilder.Next(_f.Manager, _f.Genesis, members, EnvelopeFixture.Now);
        key.Dispose();
        var chain = new EpochChain(_f.Review, _f.Channel, [_f.Manager.Id]);
        Assert.True(chain.Accept(_f.Genesis.Encoded.Span).IsSuccess);
        Assert.True(chain.Accept(next.Encoded.Span).IsSuccess);
        using var keyring = new ChannelKeyring(newcomer, chain);
        Assert.True(keyring.Unlock(chain.Records[1]).IsSuccess);

        // Act
        var result = EnvelopeOpener.Open(early.Encoded, keyring);

        // Assert
        Assert.Equal(EnvelopeError.UnknownEpoch, result.Error);
    }

    [Fact]
    public void Open_NewMemberWithSignedHistoryGrant_ReadsEarlierEpoch()
    {
        // Arrange
        var early = _f.SealFromExpert(1, "history the State chose to share");
        using var newcomer = SecureDialogue.Vault.Keys.DeviceIdentity.Create();
        var members = new[] { new MemberDevice(_f.Manager.PublicKeys, true), new MemberDevice(_f.Expert.PublicKeys), new MemberDevice(newcomer.PublicKeys) };
        var (next, key) = EpochRecordBuilder.Next(_f.Manager, _f.Genesis, members, EnvelopeFixture.Now, _f.ManagerKeyring, [(newcomer.Id, 0u)]);
        key.Dispose();
        var chain = new EpochChain(_f.Review, _f.Channel, [_f.Manager.Id]);
        Assert.True(chain.Accept(_f.Genesis.Encoded.Span).IsSuccess);
        Assert.True(chain.Accept(next.Encoded.Span).IsSuccess);
        using var keyring = new ChannelKeyring(newcomer, chain);
        Assert.True(keyring.Unlock(chain.Records[1]).IsSuccess);

        // Act
        var result = EnvelopeOpener.Open(early.Encoded, keyring);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("history the State chose to share", result.Value.Text);
    }

    private static byte[] ForgeEpoch(Envelope envelope, uint epoch)
    {
        // Rewrite the epoch field: review(16) + channel(1+n) come after version and suite.
        var bytes = envelope.Encoded.ToArray();
        var offset = 2 + 16 + 1 + envelope.Header.Channel.Value.Length;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), epoch);
        return bytes;
    }
}
