using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
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

    // Leaf data before the content: u16 index, u8 kind, salt, u32 content length.
    private const int LeafHeadSize = 2 + 1 + SaltSize + 4;

    // Leaf hashes of up to 16 segments live on the stack; larger items rent from the pool.
    private const int StackLeafBytes = 16 * MerkleHash.Size;

    /// <summary>Derives the salt of segment <paramref name="index"/>.</summary>
    public static byte[] Salt(ReadOnlySpan<byte> saltKey, int index)
    {
        if (saltKey.Length != SaltKeySize)
        {
            throw new ArgumentException($"A salt key is {SaltKeySize} bytes.", nameof(saltKey));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EnvelopeHeader.MaxSegments);
        var salt = new byte[SaltSize];
        Salt(saltKey, index, salt);
        return salt;
    }

    /// <summary>Derives the salt of segment <paramref name="index"/> into <paramref name="destination"/>.</summary>
    internal static void Salt(ReadOnlySpan<byte> saltKey, int index, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(input, checked((ushort)index));
        Blake2b.KeyedHash(saltKey, ProtocolConstants.SegmentSaltPersonal, input, destination[..SaltSize]);
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
        var hash = new byte[MerkleHash.Size];
        LeafHash(index, kind, salt, content, hash);
        return hash;
    }

    /// <summary>The leaf hash of one segment into <paramref name="destination"/>; the content is hashed in place, not copied.</summary>
    internal static void LeafHash(int index, SegmentKind kind, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> content, Span<byte> destination)
    {
        Span<byte> head = stackalloc byte[LeafHeadSize];
        BinaryPrimitives.WriteUInt16BigEndian(head, checked((ushort)index));
        head[2] = (byte)kind;
        salt.CopyTo(head[3..]);
        BinaryPrimitives.WriteUInt32BigEndian(head[(3 + SaltSize)..], (uint)content.Length);
        MerkleHash.Leaf(head, content, destination);
        CryptographicOperations.ZeroMemory(head);
    }

    /// <summary>All leaf hashes of an item's segments.</summary>
    public static byte[][] LeafHashes(ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments)
    {
        var leaves = new byte[segments.Count][];
        Span<byte> salt = stackalloc byte[SaltSize];
        for (var i = 0; i < segments.Count; i++)
        {
            Salt(saltKey, i, salt);
            leaves[i] = LeafHash(i, segments[i].Kind, salt, segments[i].Content.Span);
        }

        CryptographicOperations.ZeroMemory(salt);
        return leaves;
    }

    /// <summary>The commitment root of an item's segments.</summary>
    public static byte[] Root(ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments)
    {
        var root = new byte[MerkleHash.Size];
        Root(saltKey, segments, root);
        return root;
    }

    /// <summary>The commitment root of an item's segments into <paramref name="destination"/>, without allocating.</summary>
    internal static void Root(ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments, Span<byte> destination)
    {
        // Leaf hashes are not secret (audit paths disclose them); the salts are, until their segment is disclosed.
        var length = segments.Count * MerkleHash.Size;
        byte[]? rented = null;
        var leaves = (length <= StackLeafBytes ? stackalloc byte[StackLeafBytes] : (rented = ArrayPool<byte>.Shared.Rent(length)))[..length];
        Span<byte> salt = stackalloc byte[SaltSize];
        try
        {
            for (var i = 0; i < segments.Count; i++)
            {
                Salt(saltKey, i, salt);
                LeafHash(i, segments[i].Kind, salt, segments[i].Content.Span, leaves.Slice(i * MerkleHash.Size, MerkleHash.Size));
            }

            MerkleTree.Root(leaves, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salt);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
