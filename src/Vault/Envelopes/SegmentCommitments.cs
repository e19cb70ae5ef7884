using System.Buffers.Binary;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Salted commitments to an item's segments. Segment i has salt
/// <c>BLAKE2b-256(key = salt key, personal "sdlg.seg.salt", input = u16 i)</c> and leaf data
/// <c>u16 i || u8 kind || salt || u32 length || content</c>; the commitment root is the RFC 9162 Merkle
/// tree head of the leaves. Revealing one segment with its salt and audit path proves it without revealing
/// anything about the others (their salts are independent 256-bit values).
/// </summary>
public static class SegmentCommitments
{
    /// <summary>Size of the per-item salt key.</summary>
    public const int SaltKeySize = 32;

    /// <summary>Size of a segment salt.</summary>
    public const int SaltSize = 32;

    /// <summary>Derives the salt of segment <paramref name="index"/>.</summary>
    public static byte[] Salt(ReadOnlySpan<byte> saltKey, int index)
    {
        if (saltKey.Length != SaltKeySize)
        {
            throw new ArgumentException($"A salt key is {SaltKeySize} bytes.", nameof(saltKey));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EnvelopeHeader.MaxSegments);
        Span<byte> input = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(input, checked((ushort)index));
        var salt = new byte[SaltSize];
        Blake2b.KeyedHash(saltKey, ProtocolConstants.SegmentSaltPersonal, input, salt);
        return salt;
    }

    /// <summary>The leaf hash of one segment given its salt.</summary>
    public static byte[] LeafHash(int index, SegmentKind kind, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> content)
    {
        if (salt.Length != SaltSize)
        {
            throw new ArgumentException($"A segment salt is {SaltSize} bytes.", nameof(salt));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EnvelopeHeader.MaxSegments);
        var data = new byte[2 + 1 + SaltSize + 4 + content.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, checked((ushort)index));
        data[2] = (byte)kind;
        salt.CopyTo(data.AsSpan(3));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3 + SaltSize), (uint)content.Length);
        content.CopyTo(data.AsSpan(7 + SaltSize));
        return MerkleHash.Leaf(data);
    }

    /// <summary>All leaf hashes of an item's segments.</summary>
    public static byte[][] LeafHashes(ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments)
    {
        var leaves = new byte[segments.Count][];
        for (var i = 0; i < segments.Count; i++)
        {
            leaves[i] = LeafHash(i, segments[i].Kind, Salt(saltKey, i), segments[i].Content.Span);
        }

        return leaves;
    }

    /// <summary>The commitment root of an item's segments.</summary>
    public static byte[] Root(ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments) => MerkleTree.Root(LeafHashes(saltKey, segments));
}
