using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Amendments;

/// <summary>The author's signed correction or retraction (docs/protocol.md section 21) and its vectors.</summary>
public sealed class AmendmentCodecTests
{
    public static TheoryData<string> VectorNames => [.. Statements().Select(s => s.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Sign_VectorInputs_ReproducesTheStatementByteForByteAndStepByStep(string name)
    {
        // Arrange
        var v = Statements().Single(s => s.GetProperty("name").GetString() == name);
        using var bob = Identity("bob");
        var target = EnvelopeNamed(v.GetProperty("target_envelope").GetString()!);
        var replacementName = v.GetProperty("replacement_envelope").ValueKind == JsonValueKind.Null ? null : v.GetProperty("replacement_envelope").GetString();
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(v.GetProperty("created_at_ms").GetInt64());
        var expected = Convert.FromHexString(v.GetProperty("statement").GetString()!);

        // Act
        var statement = replacementName is null
            ? AmendmentCodec.SignRetraction(target, bob, createdAt)
            : AmendmentCodec.SignCorrection(target, EnvelopeNamed(replacementName), bob, createdAt);

        // Assert: through the library.
        Assert.Equal(expected, statement.Encoded);
        var verified = AmendmentCodec.Verify(expected, bob.PublicKeys);
        Assert.True(verified.IsSuccess, verified.ToString());
        Assert.True(AmendmentCodec.Names(verified.Value!.Amendment, target));
        Assert.Equal(replacementName is not null, replacementName is not null && AmendmentCodec.Names(verified.Value.Amendment, EnvelopeNamed(replacementName), replacement: true));

        // Assert: step by step from section 21.2 with the bare primitives.
        var part = new List<byte> { 1, 1 };
        part.AddRange(Guid.Parse(v.GetProperty("review_id").GetString()!).ToByteArray(bigEndian: true));
        var channel = v.GetProperty("channel").GetString()!;
        part.Add((byte)channel.Length);
        part.AddRange(Encoding.ASCII.GetBytes(channel));
        part.Add((byte)v.GetProperty("action").GetInt32());
        part.AddRange(EnvelopeId(target));
        part.AddRange(U64(v.GetProperty("target_counter").GetUInt64()));
        if (replacementName is not null)
        {
            part.AddRange(EnvelopeId(EnvelopeNamed(replacementName)));
            part.AddRange(U64(v.GetProperty("replacement_counter").GetUInt64()));
        }

        part.AddRange(U64((ulong)createdAt.ToUnixTimeMilliseconds()));
        part.AddRange(bob.Id.Bytes.ToArray());
        Assert.Equal(v.GetProperty("signed_part").GetString(), Convert.ToHexStringLower([.. part]));
        Assert.Equal(part, expected[..^64]);
        byte[] message = [.. Encoding.ASCII.GetBytes("SecureDialogue/amendment/v1"), 0, .. part];
        Assert.Equal(v.GetProperty("signed_message").GetString(), Convert.ToHexStringLower(message));
        Assert.True(Ed25519.Verify(bob.PublicKeys.SigningKey, message, expected.AsSpan(expected.Length - 64)));
    }

    [Fact]
    public void Verify_EveryByteFlipped_RefusedWithOneOfTheTypedErrors()
    {
        // Arrange
        using var bob = Identity("bob");
        var statement = AmendmentCodec.SignCorrection(EnvelopeNamed("one-segment"), EnvelopeNamed("three-segments"), bob, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123));

        // Act / Assert
        for (var i = 0; i < statement.Encoded.Length; i++)
        {
            var tampered = statement.Encoded.ToArray();
            tampered[i] ^= 0x01;
            var result = AmendmentCodec.Verify(tampered, bob.PublicKeys);
            Assert.False(result.IsSuccess, $"byte {i}");
            Assert.NotEqual(AmendmentError.None, result.Error);
        }
    }

    [Fact]
    public void Verify_AnotherDevicesCard_BadSignature()
    {
        // Arrange
        using var bob = Identity("bob");
        using var alice = Identity("alice");
        var statement = AmendmentCodec.SignRetraction(EnvelopeNamed("one-segment"), bob, DateTimeOffset.UnixEpoch);

        // Act
        var result = AmendmentCodec.Verify(statement.Encoded, alice.PublicKeys);

        // Assert
        Assert.Equal(AmendmentError.BadSignature, result.Error);
    }

    [Fact]
    public void Names_AnotherSendersOrAnotherEnvelope_False()
    {
        // Arrange: alice signs a retraction naming bob's envelope; the author rule fails on the sender.
        using var alice = Identity("alice");
        using var bob = Identity("bob");
        var target = EnvelopeNamed("one-segment");
        var byAlice = AmendmentCodec.SignRetraction(target, alice, DateTimeOffset.UnixEpoch).Amendment;
        var byBob = AmendmentCodec.SignRetraction(target, bob, DateTimeOffset.UnixEpoch).Amendment;

        // Act / Assert
        Assert.False(AmendmentCodec.Names(byAlice, target));
        Assert.True(AmendmentCodec.Names(byBob, target));
        Assert.False(AmendmentCodec.Names(byBob, EnvelopeNamed("three-segments")));
        Assert.False(AmendmentCodec.Names(byBob, target, replacement: true));
        Assert.True(AmendmentCodec.NamesHeader(byBob, target.Header));
        Assert.False(AmendmentCodec.NamesHeader(byAlice, target.Header));
    }

    [Fact]
    public void SignCorrection_ReplacementNotLaterOrOfAnotherChannel_Refused()
    {
        using var bob = Identity("bob");
        Assert.Throws<ArgumentException>(() => AmendmentCodec.SignCorrection(EnvelopeNamed("three-segments"), EnvelopeNamed("one-segment"), bob, DateTimeOffset.UnixEpoch));
        var amendment = new Amendment(Guid.NewGuid(), ChannelId.Dialogue, AmendmentAction.Correct, new byte[32], 2, new byte[32], 2, DateTimeOffset.UnixEpoch, bob.Id);
        Assert.Throws<ArgumentException>(() => AmendmentCodec.Sign(amendment, bob));
        Assert.Throws<ArgumentException>(() => AmendmentCodec.Sign(amendment with { ReplacementCounter = 3, Author = Identity("alice").Id }, bob));
        Assert.Throws<ArgumentException>(() => AmendmentCodec.Sign(amendment with { Action = AmendmentAction.Retract }, bob));
    }

    [Fact]
    public void Decode_TruncatedExtendedUnknownVersionOrAction_TypedErrors()
    {
        // Arrange
        using var bob = Identity("bob");
        var encoded = AmendmentCodec.SignRetraction(EnvelopeNamed("one-segment"), bob, DateTimeOffset.UnixEpoch).Encoded;
        var wrongVersion = encoded.ToArray();
        wrongVersion[0] = 2;
        var actionAt = 2 + 16 + 1 + "dialogue".Length;
        var unknownAction = encoded.ToArray();
        unknownAction[actionAt] = 3;
        var correctionWithoutReplacement = encoded.ToArray();
        correctionWithoutReplacement[actionAt] = 1;

        // Act / Assert
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode(encoded.AsSpan(0, encoded.Length - 1)).Error);
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode([.. encoded, 0]).Error);
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode([]).Error);
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode(new byte[AmendmentCodec.MaxSize + 1]).Error);
        Assert.Equal(AmendmentError.UnsupportedVersion, AmendmentCodec.Decode(wrongVersion).Error);
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode(unknownAction).Error);
        Assert.Equal(AmendmentError.Malformed, AmendmentCodec.Decode(correctionWithoutReplacement).Error);
    }

    internal static Envelope EnvelopeNamed(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "envelopes.json")));
        var hex = document.RootElement.GetProperty("envelopes").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("envelope").GetString()!;
        return Envelope.Decode(Convert.FromHexString(hex)).Value!;
    }

    internal static DeviceIdentity Identity(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "devices.json")));
        var device = document.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);
        return DeviceIdentity.FromSeeds(Convert.FromHexString(device.GetProperty("signing_seed").GetString()!), Convert.FromHexString(device.GetProperty("agreement_secret").GetString()!));
    }

    private static byte[] EnvelopeId(Envelope envelope)
    {
        var id = new byte[32];
        Blake2b.Hash(Blake2b.Personal("sdlg.env.id"), envelope.Encoded.Span, id);
        return id;
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static IEnumerable<JsonElement> Statements()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "amendments.json")));
        return [.. document.RootElement.Clone().GetProperty("statements").EnumerateArray()];
    }
}
