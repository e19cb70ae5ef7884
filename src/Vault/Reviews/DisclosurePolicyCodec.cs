using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Reviews;

/// <summary>
/// The signed disclosure policy statement (docs/protocol.md section 19): <c>version u8 || suite u8 || review_id 16 ||
/// policy_version u32 || metadata_level u8 || channel_count u8 || channels (u8 length, ASCII) || issued_at i64 ||
/// signer_device_id 16 || signature 64</c>, all integers big-endian; the signature is Ed25519 by the signer's device
/// over <c>"SecureDialogue/disclosure-policy/v1" 0x00 || statement[0..len-64]</c>.
/// </summary>
public static class DisclosurePolicyCodec
{
    /// <summary>Most channels a statement names.</summary>
    public const int MaxChannels = 8;

    /// <summary>Longest channel name.</summary>
    public const int MaxChannelLength = 32;

    /// <summary>Longest statement.</summary>
    public const int MaxSize = 2 + 16 + 4 + 1 + 1 + (MaxChannels * (1 + MaxChannelLength)) + 8 + 16 + 64;

    /// <summary>Signs <paramref name="policy"/> with <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The policy names too many, unsorted, repeated or malformed channels, or has version 0.</exception>
    public static DisclosurePolicyStatement Sign(DisclosurePolicy policy, DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(device);
        if (policy.Version == 0 || !Enum.IsDefined(policy.Metadata) || !ChannelsAreCanonical(policy.ContentChannels))
        {
            throw new ArgumentException("A signed policy has a version of 1 or more, a known metadata level and at most 8 distinct channel names in ordinal order.", nameof(policy));
        }

        var writer = new CanonicalWriter(MaxSize);
        WriteBody(writer, policy, device.Id);
        var signature = new byte[Ed25519.SignatureSize];
        device.Sign([.. ProtocolConstants.DisclosurePolicyContext, .. writer.WrittenSpan], signature);
        writer.WriteBytes(signature);
        var encoded = writer.ToArray();
        return new DisclosurePolicyStatement(policy with { IssuedAt = DateTimeOffset.FromUnixTimeSeconds(policy.IssuedAt.ToUnixTimeSeconds()) }, device.Id, encoded);
    }

    /// <summary>Decodes a statement without checking its signature (the signer's card is needed: <see cref="Verify"/>).</summary>
    public static Result<DisclosurePolicyStatement, DisclosurePolicyError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxSize || encoded.Length < 2)
        {
            return DisclosurePolicyError.Malformed;
        }

        if (encoded[0] != ProtocolConstants.Version || encoded[1] != ProtocolConstants.Suite)
        {
            return DisclosurePolicyError.UnsupportedVersion;
        }

        var reader = new CanonicalReader(encoded[2..]);
        if (!reader.TryReadGuid(out var reviewId) || !reader.TryReadUInt32(out var version) || version == 0 ||
            !reader.TryReadByte(out var level) || !Enum.IsDefined((MetadataLevel)level) ||
            !reader.TryReadByte(out var count) || count > MaxChannels)
        {
            return DisclosurePolicyError.Malformed;
        }

        var channels = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadAscii(1, MaxChannelLength, IsChannelByte, out var channel))
            {
                return DisclosurePolicyError.Malformed;
            }

            channels.Add(channel);
        }

        if (!ChannelsAreCanonical(channels) || !reader.TryReadInt64(out var issuedAt) || issuedAt < 0 || issuedAt > 253402300799 ||
            !reader.TryReadBytes(DeviceId.Size, out var signer) || !reader.TryReadBytes(Ed25519.SignatureSize, out _) || !reader.End)
        {
            return DisclosurePolicyError.Malformed;
        }

        var policy = new DisclosurePolicy(reviewId, version, (MetadataLevel)level, channels, DateTimeOffset.FromUnixTimeSeconds(issuedAt));
        return new DisclosurePolicyStatement(policy, DeviceId.FromBytes(signer), encoded.ToArray());
    }

    /// <summary>
    /// Decodes and verifies a statement signed by <paramref name="signerCard"/>'s device. Whether that device belongs to
    /// the reviewed State's focal point is the caller's check.
    /// </summary>
    public static Result<DisclosurePolicyStatement, DisclosurePolicyError> Verify(ReadOnlySpan<byte> encoded, DevicePublicKeys signerCard)
    {
        ArgumentNullException.ThrowIfNull(signerCard);
        if (!Decode(encoded).TryGetValue(out var statement, out var error))
        {
            return error;
        }

        if (!statement.Signer.Equals(signerCard.Id))
        {
            return DisclosurePolicyError.BadSignature;
        }

        var body = encoded[..^Ed25519.SignatureSize];
        byte[] message = [.. ProtocolConstants.DisclosurePolicyContext, .. body];
        return Ed25519.Verify(signerCard.SigningKey, message, encoded[^Ed25519.SignatureSize..])
            ? statement
            : DisclosurePolicyError.BadSignature;
    }

    private static void WriteBody(CanonicalWriter writer, DisclosurePolicy policy, DeviceId signer)
    {
        writer.WriteByte(ProtocolConstants.Version);
        writer.WriteByte(ProtocolConstants.Suite);
        writer.WriteGuid(policy.ReviewId);
        writer.WriteUInt32(policy.Version);
        writer.WriteByte((byte)policy.Metadata);
        writer.WriteByte((byte)policy.ContentChannels.Count);
        foreach (var channel in policy.ContentChannels)
        {
            writer.WriteAscii(channel);
        }

        writer.WriteInt64(policy.IssuedAt.ToUnixTimeSeconds());
        writer.WriteBytes(signer.Bytes);
    }

    private static bool ChannelsAreCanonical(IReadOnlyList<string> channels)
    {
        if (channels.Count > MaxChannels)
        {
            return false;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            if (channel.Length is < 1 or > MaxChannelLength || channel.Any(c => c > 0x7f || !IsChannelByte((byte)c)) ||
                (i > 0 && string.CompareOrdinal(channels[i - 1], channel) >= 0))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsChannelByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-';
}
