using FsCheck;
using FsCheck.Fluent;
using SecureDialogue.Vault.Publication;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Publication;

public sealed class PublicationDecodeFuzzTests : IDisposable
{
    private readonly PublicationFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Verify_EveryByteOfGenuineRecordFlipped_InvalidNeverThrows()
    {
        // Arrange
        var genuine = _f.Genuine().Encoded.ToArray();
        Assert.True(PublicationVerifier.Verify(genuine, _f.Trust).IsValid);

        // Act / Assert: each position, one bit and all bits.
        for (var i = 0; i < genuine.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0xff })
            {
                var bytes = genuine.ToArray();
                bytes[i] ^= mask;
                var result = PublicationVerifier.Verify(bytes, _f.Trust);
                Assert.False(result.IsValid, $"flipping byte {i} with {mask:x2} still verifies");
                Assert.NotEmpty(result.Problems);
            }
        }
    }

    [Fact]
    public void Verify_EveryByteOfGenuineDocumentRecordFlipped_InvalidNeverThrows()
    {
        var genuine = _f.GenuineDocument().Encoded.ToArray();
        Assert.True(PublicationVerifier.Verify(genuine, _f.Trust).IsValid);

        for (var i = 0; i < genuine.Length; i++)
        {
            var bytes = genuine.ToArray();
            bytes[i] ^= 0x80;
            var result = PublicationVerifier.Verify(bytes, _f.Trust);
            Assert.False(result.IsValid, $"flipping byte {i} still verifies");
        }
    }

    [Fact]
    public void Verify_EveryTruncationAndExtension_InvalidNeverThrows()
    {
        var genuine = _f.Genuine().Encoded.ToArray();
        for (var length = 0; length < genuine.Length; length++)
        {
            Assert.Equal(PublicationFailure.Malformed, Assert.Single(PublicationVerifier.Verify(genuine.AsSpan(0, length), _f.Trust).Problems).Failure);
        }

        Assert.Equal(PublicationFailure.Malformed, Assert.Single(PublicationVerifier.Verify([.. genuine, 0], _f.Trust).Problems).Failure);
    }

    [Fact]
    public void Verify_RandomEditsOfGenuineRecords_TypedErrorInBoundedTime()
    {
        byte[][] genuine = [_f.Genuine().Encoded.ToArray(), _f.GenuineDocument().Encoded.ToArray()];
        var gen =
            from which in Gen.Choose(0, 1)
            from count in Gen.Choose(1, 4)
            from positions in Gen.Choose(0, int.MaxValue).ArrayOf(count)
            from values in ArbMap.Default.GeneratorFor<byte[]>()
            from insert in ArbMap.Default.GeneratorFor<byte[]>()
            select (which, positions, values, insert);

        var property = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var bytes = Mutation.Apply(genuine[t.which], t.positions, t.values ?? [], t.insert ?? []);
            var inTime = Mutation.Within(TimeSpan.FromSeconds(2), () => PublicationVerifier.Verify(bytes, _f.Trust), out var result);
            var same = bytes.AsSpan().SequenceEqual(genuine[t.which]);
            return inTime && result.IsValid == same && (same || result.Problems.Count > 0);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(600), property);
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAndNeverSucceeds()
    {
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            bytes =>
            {
                var result = PublicationRecord.Decode(bytes);
                return !result.IsSuccess && result.Error != PublicationError.None;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    [Fact]
    public void Decode_Oversized_TooLargeWithoutParsing()
    {
        var result = PublicationRecord.Decode(new byte[PublicationRecord.MaxEncodedSize + 1]);
        Assert.Equal(PublicationError.TooLarge, result.Error);
    }

    [Fact]
    public void Decode_OtherVersion_UnsupportedVersion()
    {
        var bytes = _f.Genuine().Encoded.ToArray();
        bytes[0] = 2;
        Assert.Equal(PublicationError.UnsupportedVersion, PublicationRecord.Decode(bytes).Error);
    }
}
