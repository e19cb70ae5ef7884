using System.Security.Cryptography;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Envelopes;

/// <summary>
/// Pins the exact bytes the sealer produces for fixed keys, randomness and time, so that changes to the
/// sealer's implementation (performance work) cannot change the envelope encoding unnoticed. The expected
/// digests were recorded from the first implementation of envelope v1.
/// </summary>
public sealed class EnvelopeEncodingStabilityTests : IDisposable
{
    private static readonly Guid s_review = Guid.Parse("6f1c2a4e-3b5d-4c7e-9f10-2a3b4c5d6e7f");
    private static readonly DateTimeOffset s_createdAt = new(2026, 11, 23, 9, 30, 0, 123, TimeSpan.Zero);

    private readonly DeviceIdentity _sender = DeviceIdentity.FromSeeds(Pattern(32, 0x11), Pattern(32, 0x22));

    public void Dispose() => _sender.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "one-short-text", "76BD71C49CA73EDBB779DD7361030F1322026A116E029F42DABA8FAEF03A67E6" },
        { "five-mixed-segments", "9FFC2AC14237002E08CACBC8DEA9797F64EC64906E604FEEB037347180E901DD" },
        { "one-64k-text", "A9F72A3AC2DFBC8654EF8506344A5E7474BC3B048C2B249015AD3A3732D3C481" },
        { "reviewers-drawn-id", "116F8C2FA6CDF801C66A94DC28926FA273D3C7448075E8DA4EA431D0F2CA88FD" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Seal_FixedInputs_ProducesRecordedBytes(string name, string expectedSha256)
    {
        // Arrange
        var (channel, counter, draft) = Case(name);
        using var key = EpochKey.FromBytes(s_review, channel, 3, Pattern(32, 0x33));

        // Act
        var envelope = EnvelopeSealer.Seal(_sender, key, counter, draft, s_createdAt, new CountingRandom());

        // Assert
        Assert.Equal(expectedSha256, Convert.ToHexString(SHA256.HashData(envelope.Encoded.Span)));
        var decoded = Envelope.Decode(envelope.Encoded);
        Assert.True(decoded.IsSuccess);
        Assert.Equal(envelope.HeaderBytes.ToArray(), decoded.Value.HeaderBytes.ToArray());
        Assert.Equal(envelope.Header.Nonce.ToArray(), decoded.Value.Header.Nonce.ToArray());
        Assert.Equal(envelope.Header.CommitmentRoot.ToArray(), decoded.Value.Header.CommitmentRoot.ToArray());
    }

    private static (ChannelId Channel, ulong Counter, EnvelopeDraft Draft) Case(string name)
    {
        var messageId = Guid.Parse("0b6f6c1e-8a2d-4e3f-9a1b-2c3d4e5f6a7b");
        return name switch
        {
            "one-short-text" => (ChannelId.Dialogue, 1, Draft(ChannelId.Dialogue, messageId, LanguageTag.French, [Segment.Text("Bonjour")])),
            "five-mixed-segments" => (ChannelId.Dialogue, 42, Draft(
                ChannelId.Dialogue, messageId, LanguageTag.Parse("zh-Hant"),
                [
                    Segment.Text("第一段"),
                    Segment.QuestionnaireAnswer("UNTOC-5.1", "Yes, since 2019."),
                    Segment.FileReference(Pattern(100, 0x44)),
                    Segment.Text(new string('x', 300)),
                    Segment.Text("fin"),
                ])),
            "one-64k-text" => (ChannelId.Dialogue, 7, Draft(ChannelId.Dialogue, messageId, LanguageTag.English, [Segment.Text(new string('a', 65536))])),
            "reviewers-drawn-id" => (ChannelId.Reviewers, 9, Draft(ChannelId.Reviewers, null, LanguageTag.Arabic, [Segment.Text("مرحبا"), Segment.Text("")])),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static EnvelopeDraft Draft(ChannelId channel, Guid? messageId, LanguageTag language, IReadOnlyList<Segment> segments) => new()
    {
        Review = s_review,
        Channel = channel,
        Kind = ItemKind.WrittenFeedback,
        Language = language,
        Segments = segments,
        ClientMessageId = messageId,
    };

    private static byte[] Pattern(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + (i * 7));
        }

        return bytes;
    }

    /// <summary>Deterministic "randomness": SHA-256 of a running counter.</summary>
    private sealed class CountingRandom : IRandomSource
    {
        private ulong _counter;

        public void Fill(Span<byte> destination)
        {
            Span<byte> block = stackalloc byte[32];
            Span<byte> input = stackalloc byte[8];
            for (var offset = 0; offset < destination.Length; offset += block.Length)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input, ++_counter);
                SHA256.HashData(input, block);
                block[..Math.Min(block.Length, destination.Length - offset)].CopyTo(destination[offset..]);
            }
        }
    }
}
