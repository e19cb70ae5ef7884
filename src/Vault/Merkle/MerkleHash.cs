using System.Security.Cryptography;

namespace SecureDialogue.Vault.Merkle;

/// <summary>
/// RFC 9162 section 2.1 hashing: SHA-256, leaves as <c>SHA-256(0x00 || data)</c>, interior nodes as
/// <c>SHA-256(0x01 || left || right)</c>, and the empty tree as <c>SHA-256("")</c>.
/// </summary>
public static class MerkleHash
{
    /// <summary>Hash size in bytes.</summary>
    public const int Size = 32;

    /// <summary>The root of the empty tree, SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>Leaf hash of <paramref name="data"/>.</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    /// <summary>Leaf hash of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    /// <summary>Interior node hash of two child hashes.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }

    /// <summary>Largest power of two strictly smaller than <paramref name="n"/> (n &gt; 1).</summary>
    internal static long SplitPoint(long n)
    {
        var k = 1L;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
