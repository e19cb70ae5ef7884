using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class EnvelopeSealerTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Seal_100kEnvelopes_NoNonceRepeats()
    {
        // Arrange
        var key = _f.ExpertKeyring.Current!;
        var draft = _f.Draft("n");
        var nonces = new HashSet<string>();

        // Act
        for (ulong counter = 1; counter <= 100_000; counter++)
        {
            var envelope = EnvelopeSealer.Seal(_f.Expert, key, counter, draft, EnvelopeFixture.Now);
            nonces.Add(Convert.ToHexString(envelope.Header.Nonce.Span));
        }

        // Assert
        Assert.Equal(100_000, nonces.Count);
    }

    [Fact]
    public void Seal_RandomSourceReturnsConstantBytes_NoncesStillUniquePerCounter()
    {
        // Arrange: a broken generator that always returns the same bytes, without the health check.
        var broken = new ConstantRandom(0x5a);
        var key = _f.ExpertKeyring.Current!;
        var draft = _f.Draft("same") with { ClientMessageId = Guid.NewGuid() };

        // Act
        var a = EnvelopeSealer.Seal(_f.Expert, key, 1, draft, EnvelopeFixture.Now, broken);
        var b = EnvelopeSealer.Seal(_f.Expert, key, 2, draft, EnvelopeFixture.Now, broken);

        // Assert: the counter is part of the synthetic nonce.
        Assert.False(a.Header.Nonce.Span.SequenceEqual(b.Header.Nonce.Span));
    }

    [Fact]
    public void Seal_FailingRandomGenerator_AbortsWithoutEnvelope()
    {
        // Arrange: the health-checked source over a generator stuck at zero.
        var random = new RandomSource(new ConstantRandom(0));

        // Act
        var act = () => EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Current!, 1, _f.Draft("never sealed"), EnvelopeFixture.Now, random);

        // Assert
        Assert.Throws<RandomnessFailureException>(act);
    }

    [Theory]
    [InlineData(1, 256)]
    [InlineData(200, 256)]
    [InlineData(1000, 1024 + 64)]
    [InlineData(60_000, 61_440)]
    public void Seal_PlaintextSizes_PadToPadmeBuckets(int textLength, int expectedPadded)
    {
        // Arrange
        var text = new string('a', textLength);

        // Act
        var envelope = _f.SealFromExpert(1, text);

        // Assert
        Assert.Equal(expectedPadded, envelope.Header.PaddedLength);
        Assert.Equal(expectedPadded, Padding.PaddedLength(EnvelopeSealer.PlaintextLength(_f.Draft(text).Segments)));
    }

    [Fact]
    public void Seal_TwoMessagesOfSimilarLength_SameEncodedLength()
    {
        // Act
        var shortOne = _f.SealFromExpert(1, "yes");
        var longer = _f.SealFromExpert(2, "yes, and here is a somewhat longer answer to the question asked.");

        // Assert
        Assert.Equal(shortOne.Encoded.Length, longer.Encoded.Length);
    }

    [Fact]
    public void Seal_ItemLargerThanOneMebibyte_RefusedWithClearError()
    {
        // Arrange
        var huge = new string('x', Padding.MaxPaddedLength);

        // Act
        var error = Assert.Throws<ArgumentException>(() => _f.SealFromExpert(1, huge));

        // Assert
        Assert.Contains("attachments", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_KeyOfAnotherChannel_Refused()
    {
        // Arrange
        var draft = _f.Draft("x") with { Channel = SecureDialogue.Vault.Channels.ChannelId.Reviewers };

        // Act + Assert
        Assert.Throws<ArgumentException>(() => EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Current!, 1, draft, EnvelopeFixture.Now));
    }

    [Fact]
    public void Seal_SameDraftRetried_KeepsClientMessageId()
    {
        // Arrange
        var draft = _f.Draft("retry me") with { ClientMessageId = Guid.Parse("6f9619ff-8b86-4011-b42d-00c04fc964ff") };

        // Act
        var first = EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Current!, 1, draft, EnvelopeFixture.Now);
        var retry = EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Current!, 1, draft, EnvelopeFixture.Now);

        // Assert
        Assert.Equal(first.Header.ClientMessageId, retry.Header.ClientMessageId);
        Assert.NotEqual(Convert.ToHexString(first.Header.Nonce.Span), Convert.ToHexString(retry.Header.Nonce.Span));
    }
}

internal sealed class ConstantRandom(byte value) : IRandomSource
{
    public void Fill(Span<byte> destination) => destination.Fill(value);
}

public sealed class EnvelopeSealerLimitsTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Seal_CreatedBefore1970_RefusedRatherThanUndecodable()
    {
        var act = () => EnvelopeSealer.Seal(_f.Expert, _f.ExpertKeyring.Current!, 1, _f.Draft("x"), new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(act);
    }
}
