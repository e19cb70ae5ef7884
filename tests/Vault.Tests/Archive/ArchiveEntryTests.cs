using System.Security.Cryptography;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Tests.Archive;

public sealed class ArchiveEntryTests
{
    private static readonly Guid s_review = ArchiveServerDouble.Review;
    private static readonly DateTimeOffset s_time = new(2026, 11, 23, 9, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Encode_InlineEnvelope_IsTheDocumentedLayout()
    {
        var entry = ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Envelope, s_time, [0xaa, 0xbb, 0xcc]);

        byte[] expected =
        [
            0x01,
            .. Convert.FromHexString("8b2f6c1e4a5d4e7f9c3b2d1e0f6a7b8c"),
            0, 0, 0, 0, 0, 0, 0, 5,
            0x01,
            .. BigEndian(s_time.ToUnixTimeMilliseconds()),
            0x00,
            0, 0, 0, 3, 0xaa, 0xbb, 0xcc,
        ];
        Assert.Equal(expected, entry.Encode());
        Assert.Equal(SHA256.HashData([0x00, .. expected]), entry.LeafHash());
        Assert.Equal(MerkleHash.Leaf(expected), entry.LeafHash());
    }

    [Fact]
    public void Encode_RetractionInDigestForm_HasTargetThenDigest()
    {
        var digest = SHA256.HashData("attachment"u8);
        var entry = ArchiveEntry.CreateDigest(s_review, 9, ArchiveEntryKind.Retraction, s_time, digest, 10, target: 4);

        byte[] expected =
        [
            0x01, .. Convert.FromHexString("8b2f6c1e4a5d4e7f9c3b2d1e0f6a7b8c"),
            0, 0, 0, 0, 0, 0, 0, 9,
            0x09,
            .. BigEndian(s_time.ToUnixTimeMilliseconds()),
            0, 0, 0, 0, 0, 0, 0, 4,
            0x01,
            0, 0, 0, 0, 0, 0, 0, 10,
            .. digest,
        ];
        Assert.Equal(expected, entry.Encode());
        Assert.True(entry.MatchesPayload("attachment"u8));
        Assert.False(entry.MatchesPayload("attachmenT"u8));
    }

    [Theory]
    [InlineData(ArchiveEntryKind.Envelope)]
    [InlineData(ArchiveEntryKind.EpochRecord)]
    [InlineData(ArchiveEntryKind.MembershipChange)]
    [InlineData(ArchiveEntryKind.PolicyChange)]
    [InlineData(ArchiveEntryKind.StageChange)]
    [InlineData(ArchiveEntryKind.AttachmentCiphertext)]
    [InlineData(ArchiveEntryKind.Publication)]
    [InlineData(ArchiveEntryKind.Correction)]
    [InlineData(ArchiveEntryKind.Retraction)]
    [InlineData(ArchiveEntryKind.Cosignature)]
    [InlineData(ArchiveEntryKind.LogKeyChange)]
    public void Decode_EveryKindInBothForms_RoundTrips(ArchiveEntryKind kind)
    {
        long? target = ArchiveEntry.HasTarget(kind) ? 3 : null;
        var payload = "payload of the entry"u8.ToArray();
        var inline = ArchiveEntry.Create(s_review, 7, kind, s_time, payload, target);
        var digest = ArchiveEntry.CreateDigest(s_review, 7, kind, s_time, SHA256.HashData(payload), payload.Length, target);

        foreach (var entry in new[] { inline, digest })
        {
            var decoded = ArchiveEntry.Decode(entry.Encode());
            Assert.True(decoded.IsSuccess);
            Assert.Equal(entry.Encode(), decoded.Value.Encode());
            Assert.Equal(kind, decoded.Value.Kind);
            Assert.Equal(target, decoded.Value.Target);
            Assert.Equal(s_time, decoded.Value.ReceivedAt);
            Assert.Equal(s_review, decoded.Value.Review);
            Assert.Equal(7, decoded.Value.Index);
            Assert.True(decoded.Value.MatchesPayload(payload));
        }
    }

    [Fact]
    public void Create_TargetRules_EnforcedBothWays()
    {
        Assert.Throws<ArgumentException>(() => ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Envelope, s_time, [], target: 1));
        Assert.Throws<ArgumentException>(() => ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Correction, s_time, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Correction, s_time, [], target: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveEntry.Create(s_review, 0, ArchiveEntryKind.Retraction, s_time, [], target: 0));
        Assert.Throws<ArgumentException>(() => ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.None, s_time, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveEntry.Create(s_review, -1, ArchiveEntryKind.Envelope, s_time, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveEntry.Create(s_review, 1, ArchiveEntryKind.Envelope, DateTimeOffset.UnixEpoch.AddDays(-1), []));
        Assert.Throws<ArgumentException>(() => ArchiveEntry.Create(s_review, 1, ArchiveEntryKind.Envelope, s_time, new byte[ArchiveEntry.MaxInlinePayloadSize + 1]));
    }

    [Fact]
    public void Decode_TargetNotBeforeItsOwnIndex_Malformed()
    {
        var bytes = ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Correction, s_time, [1], target: 4).Encode();
        bytes[1 + 16 + 8 + 1 + 8 + 7] = 5;
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(bytes).Error);
        bytes[1 + 16 + 8 + 1 + 8 + 7] = 6;
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(bytes).Error);
    }

    [Fact]
    public void Decode_StructuralDefects_TypedErrors()
    {
        var valid = ArchiveEntry.Create(s_review, 5, ArchiveEntryKind.Envelope, s_time, [1, 2, 3]).Encode();

        Assert.Equal(ArchiveEntryError.UnsupportedVersion, ArchiveEntry.Decode([2, .. valid[1..]]).Error);
        Assert.Equal(ArchiveEntryError.UnsupportedVersion, ArchiveEntry.Decode([0, .. valid[1..]]).Error);
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode([]).Error);
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode([.. valid, 0]).Error);
        for (var length = 1; length < valid.Length; length++)
        {
            Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(valid.AsSpan(0, length)).Error);
        }

        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 25, 0)).Error);    // kind 0
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 25, 12)).Error);   // undefined kind
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 34, 2)).Error);    // form 2
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 26, 0x80)).Error); // negative time
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 17, 0x80)).Error); // index >= 2^63
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(With(valid, 38, 4)).Error);    // length past the end
        Assert.Equal(ArchiveEntryError.Malformed, ArchiveEntry.Decode(new byte[ArchiveEntry.MaxEncodedSize + 1]).Error);
    }

    [Fact]
    public void Create_TruncatesTimeToMilliseconds()
    {
        var entry = ArchiveEntry.Create(s_review, 0, ArchiveEntryKind.StageChange, s_time.AddTicks(9999), []);
        Assert.Equal(s_time, entry.ReceivedAt);
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] With(byte[] source, int offset, byte value)
    {
        var copy = (byte[])source.Clone();
        copy[offset] = value;
        return copy;
    }
}
