using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Envelopes;

/// <summary>Regressions for the findings of the first security review of the core.</summary>
public sealed class ReviewFindingsRegressionTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Decode_PaddedLengthNotAPadmeValue_Malformed()
    {
        // Arrange: 256 -> 257 in the header (the sealer never writes 257).
        var envelope = _f.SealFromExpert(1, "x");
        var bytes = envelope.Encoded.ToArray();
        var offset = envelope.HeaderBytes.Length - 24 - 32 - 2 - 4;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), 257);

        // Act
        var result = Envelope.Decode(bytes);

        // Assert
        Assert.Equal(EnvelopeError.Malformed, result.Error);
    }

    [Fact]
    public void PaddedLength_AppliedTwice_IsIdempotent()
    {
        for (var length = 0; length <= Padding.MaxPaddedLength; length += 97)
        {
            var padded = Padding.PaddedLength(length);
            Assert.Equal(padded, Padding.PaddedLength(padded));
        }
    }

    [Fact]
    public void TryParse_UpperCaseDeviceId_Refused()
    {
        var id = _f.Expert.Id.ToString();
        Assert.True(DeviceId.TryParse(id, out var parsed));
        Assert.Equal(_f.Expert.Id, parsed);
        Assert.False(DeviceId.TryParse(id.ToUpperInvariant().Replace("0", "A", StringComparison.Ordinal), out _));
        Assert.False(DeviceId.TryParse("ABCDEF0123456789ABCDEF0123456789", out _));
    }

    [Fact]
    public void SegmentCommitments_WrongSaltOrKeyLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => SegmentCommitments.Salt(new byte[65], 0));
        Assert.Throws<ArgumentException>(() => SegmentCommitments.LeafHash(0, SegmentKind.Text, new byte[33], "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentCommitments.Salt(new byte[32], -1));
    }
}

public sealed class EnvelopeVerifierTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void VerifySignature_SendersCard_TrueAndAnyFlipFalse()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "server-side check");
        var bytes = envelope.Encoded.ToArray();

        // Act + Assert
        Assert.True(EnvelopeVerifier.VerifySignature(envelope, _f.Expert.PublicKeys));
        Assert.False(EnvelopeVerifier.VerifySignature(envelope, _f.Reviewer.PublicKeys));
        for (var i = envelope.HeaderBytes.Length + 4; i < bytes.Length; i += 7)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x20;
            Assert.False(EnvelopeVerifier.VerifySignature(Envelope.Decode(copy).Value!, _f.Expert.PublicKeys));
        }
    }
}
