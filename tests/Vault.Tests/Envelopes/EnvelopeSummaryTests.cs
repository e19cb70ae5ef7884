using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class EnvelopeSummaryTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Of_Envelope_HeaderCiphertextHashSignatureThatVerifyWithoutCiphertext()
    {
        // Arrange
        var envelope = _f.SealFromExpert(1, "Texte.");

        // Act
        var summary = EnvelopeSummary.Of(envelope);
        var encoded = summary.Encode();

        // Assert
        var hash = new byte[32];
        Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, envelope.Ciphertext.Span, hash);
        Assert.Equal([.. envelope.HeaderBytes.ToArray(), .. hash, .. envelope.Signature.ToArray()], encoded);
        Assert.True(summary.VerifySignature(_f.Expert.PublicKeys));
        Assert.False(summary.VerifySignature(_f.Reviewer.PublicKeys));
        Assert.True(summary.Describes(envelope));
        Assert.False(summary.Describes(_f.SealFromExpert(2, "Texte.")));
        Assert.Equal(encoded, EnvelopeSummary.Decode(encoded).Value!.Encode());
    }

    [Fact]
    public void VerifySignature_AnyByteFlipped_FailsOrDoesNotDecode()
    {
        var encoded = EnvelopeSummary.Of(_f.SealFromExpert(1, "Texte.")).Encode();
        for (var i = 0; i < encoded.Length; i++)
        {
            var bytes = encoded.ToArray();
            bytes[i] ^= 0x01;
            var decoded = EnvelopeSummary.Decode(bytes);
            Assert.False(decoded.IsSuccess && decoded.Value.VerifySignature(_f.Expert.PublicKeys), $"byte {i}");
        }
    }

    [Fact]
    public void Decode_TruncatedOrExtended_Malformed()
    {
        var encoded = EnvelopeSummary.Of(_f.SealFromExpert(1, "Texte.")).Encode();
        Assert.Equal(EnvelopeError.Malformed, EnvelopeSummary.Decode(encoded.AsSpan(0, encoded.Length - 1)).Error);
        Assert.Equal(EnvelopeError.Malformed, EnvelopeSummary.Decode([.. encoded, 0]).Error);
    }

    [Fact]
    public void ToArchiveEntry_EnvelopeKindWithSummaryInline()
    {
        var summary = EnvelopeSummary.Of(_f.SealFromExpert(1, "Texte."));

        var entry = summary.ToArchiveEntry(7, EnvelopeFixture.Now);

        Assert.Equal(ArchiveEntryKind.Envelope, entry.Kind);
        Assert.Equal(_f.Review, entry.Review);
        Assert.Equal(ArchivePayloadForm.Inline, entry.Form);
        Assert.Equal(summary.Encode(), entry.Payload.ToArray());
    }
}
