using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Vault.Tests.Reviews;

/// <summary>The focal point's signed disclosure policy (docs/protocol.md section 19) and its vectors.</summary>
public sealed class DisclosurePolicyCodecTests
{
    public static TheoryData<string> VectorNames => [.. Statements().Select(s => s.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Sign_VectorInputs_ReproducesTheStatementByteForByteAndStepByStep(string name)
    {
        // Arrange
        var v = Statements().Single(s => s.GetProperty("name").GetString() == name);
        using var carol = Identity("carol");
        var channels = v.GetProperty("content_channels").EnumerateArray().Select(c => c.GetString()!).ToList();
        var policy = new DisclosurePolicy(
            Guid.Parse(v.GetProperty("review_id").GetString()!), v.GetProperty("policy_version").GetUInt32(),
            (MetadataLevel)v.GetProperty("metadata_level").GetInt32(), channels,
            DateTimeOffset.FromUnixTimeSeconds(v.GetProperty("issued_at").GetInt64()));
        var expected = Convert.FromHexString(v.GetProperty("statement").GetString()!);

        // Act
        var statement = DisclosurePolicyCodec.Sign(policy, carol);

        // Assert: through the library.
        Assert.Equal(expected, statement.Encoded);
        var verified = DisclosurePolicyCodec.Verify(expected, carol.PublicKeys);
        Assert.True(verified.IsSuccess, verified.ToString());
        Assert.Equal(policy.Metadata, verified.Value!.Policy.Metadata);
        Assert.Equal(channels, verified.Value.Policy.ContentChannels);

        // Assert: step by step from the specification, with the bare primitives.
        var body = new List<byte> { 1, 1 };
        body.AddRange(policy.ReviewId.ToByteArray(bigEndian: true));
        var u32 = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(u32, policy.Version);
        body.AddRange(u32);
        body.Add((byte)policy.Metadata);
        body.Add((byte)channels.Count);
        foreach (var channel in channels)
        {
            body.Add((byte)channel.Length);
            body.AddRange(Encoding.ASCII.GetBytes(channel));
        }

        var i64 = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(i64, policy.IssuedAt.ToUnixTimeSeconds());
        body.AddRange(i64);
        body.AddRange(carol.Id.Bytes.ToArray());
        Assert.Equal(body, expected[..^64]);
        byte[] message = [.. Encoding.ASCII.GetBytes("SecureDialogue/disclosure-policy/v1"), 0, .. body];
        Assert.Equal(v.GetProperty("signed_message").GetString(), Convert.ToHexStringLower(message));
        Assert.True(Ed25519.Verify(carol.PublicKeys.SigningKey, message, expected.AsSpan(expected.Length - 64)));
    }

    [Fact]
    public void Verify_EveryByteFlipped_RefusedWithOneOfTheTypedErrors()
    {
        // Arrange
        using var carol = Identity("carol");
        var statement = DisclosurePolicyCodec.Sign(new DisclosurePolicy(Guid.NewGuid(), 1, MetadataLevel.PerPerson, ["dialogue"], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)), carol);

        // Act / Assert
        for (var i = 0; i < statement.Encoded.Length; i++)
        {
            var tampered = statement.Encoded.ToArray();
            tampered[i] ^= 0x01;
            var result = DisclosurePolicyCodec.Verify(tampered, carol.PublicKeys);
            Assert.False(result.IsSuccess, $"byte {i}");
        }
    }

    [Fact]
    public void Verify_AnotherDevicesCard_BadSignature()
    {
        // Arrange
        using var carol = Identity("carol");
        using var mallory = DeviceIdentity.Create();
        var statement = DisclosurePolicyCodec.Sign(new DisclosurePolicy(Guid.NewGuid(), 1, MetadataLevel.CountsOnly, [], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)), carol);

        // Act
        var result = DisclosurePolicyCodec.Verify(statement.Encoded, mallory.PublicKeys);

        // Assert
        Assert.Equal(DisclosurePolicyError.BadSignature, result.Error);
    }

    [Theory]
    [InlineData("reviewers,dialogue")]
    [InlineData("dialogue,dialogue")]
    [InlineData("Dialogue")]
    [InlineData(",")]
    public void Sign_NonCanonicalChannels_Refused(string list)
    {
        var channels = list.Split(',');
        using var carol = Identity("carol");
        Assert.Throws<ArgumentException>(() => DisclosurePolicyCodec.Sign(new DisclosurePolicy(Guid.NewGuid(), 1, MetadataLevel.PerState, channels, DateTimeOffset.UnixEpoch), carol));
    }

    [Fact]
    public void Decode_TruncatedOrExtendedOrUnknownVersion_TypedErrors()
    {
        // Arrange
        using var carol = Identity("carol");
        var encoded = DisclosurePolicyCodec.Sign(new DisclosurePolicy(Guid.NewGuid(), 1, MetadataLevel.PerState, [], DateTimeOffset.UnixEpoch), carol).Encoded;
        var wrongVersion = encoded.ToArray();
        wrongVersion[0] = 2;

        // Act / Assert
        Assert.Equal(DisclosurePolicyError.Malformed, DisclosurePolicyCodec.Decode(encoded.AsSpan(0, encoded.Length - 1)).Error);
        Assert.Equal(DisclosurePolicyError.Malformed, DisclosurePolicyCodec.Decode([.. encoded, 0]).Error);
        Assert.Equal(DisclosurePolicyError.Malformed, DisclosurePolicyCodec.Decode([]).Error);
        Assert.Equal(DisclosurePolicyError.UnsupportedVersion, DisclosurePolicyCodec.Decode(wrongVersion).Error);
    }

    private static IEnumerable<JsonElement> Statements()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "disclosure-policy.json")));
        return [.. document.RootElement.Clone().GetProperty("statements").EnumerateArray()];
    }

    private static DeviceIdentity Identity(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "devices.json")));
        var device = document.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);
        return DeviceIdentity.FromSeeds(Convert.FromHexString(device.GetProperty("signing_seed").GetString()!), Convert.FromHexString(device.GetProperty("agreement_secret").GetString()!));
    }
}
