using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class EnvelopeDecodeFuzzTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAndNeverSucceeds()
    {
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            bytes =>
            {
                var result = Envelope.Decode(bytes);
                return !result.IsSuccess && result.Error != EnvelopeError.None;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    [Fact]
    public void Open_RandomMutationsOfValidEnvelope_TypedErrorInBoundedTime()
    {
        var valid = _f.SealFromExpert(1, "fuzz target").Encoded.ToArray();
        var gen =
            from position in Gen.Choose(0, valid.Length - 1)
            from value in ArbMap.Default.GeneratorFor<byte>()
            from cut in Gen.Choose(0, valid.Length + 8)
            from mode in Gen.Choose(0, 2)
            select (position, value, cut, mode);

        var property = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var bytes = t.mode switch
            {
                0 => Mutate(valid, t.position, t.value),
                1 => valid.AsSpan(0, Math.Min(t.cut, valid.Length)).ToArray(),
                _ => [.. valid, .. new byte[Math.Max(1, t.cut - valid.Length)]],
            };
            var watch = Stopwatch.StartNew();
            var result = EnvelopeOpener.Open(bytes, _f.ReviewerKeyring);
            var sameAsValid = bytes.AsSpan().SequenceEqual(valid);
            return (result.IsSuccess == sameAsValid) && watch.ElapsedMilliseconds < 1000;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), property);
    }

    [Fact]
    public void Decode_OversizedInput_MalformedWithoutParsing()
    {
        var result = Envelope.Decode(new byte[Envelope.MaxEncodedSize + 1]);
        Assert.Equal(EnvelopeError.Malformed, result.Error);
    }

    [Fact]
    public void Decode_UnknownVersion_UnsupportedVersionNotDowngraded()
    {
        var bytes = _f.SealFromExpert(1, "v").Encoded.ToArray();
        bytes[0] = 2;
        Assert.Equal(EnvelopeError.UnsupportedVersion, Envelope.Decode(bytes).Error);
        bytes[0] = 1;
        bytes[1] = 0;
        Assert.Equal(EnvelopeError.UnsupportedVersion, Envelope.Decode(bytes).Error);
    }

    private static byte[] Mutate(byte[] source, int position, byte value)
    {
        var copy = (byte[])source.Clone();
        copy[position] = value;
        return copy;
    }
}
