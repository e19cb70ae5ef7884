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

    // One SHA-256 context per thread for leaf hashing: creating an IncrementalHash per leaf costs a native
    // context and a finalizable handle. It is taken out while in use and put back only after a completed
    // GetHashAndReset (which also wipes OpenSSL's block buffer), so no partial state is ever reused.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>The root of the empty tree, SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The root of the empty tree into <paramref name="destination"/>.</summary>
    public static void EmptyRoot(Span<byte> destination) => SHA256.HashData(ReadOnlySpan<byte>.Empty, destination);

    /// <summary>Leaf hash of <paramref name="data"/>.</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    /// <summary>Leaf hash of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination) => Leaf(data, ReadOnlySpan<byte>.Empty, destination);

    /// <summary>
    /// Leaf hash of the data <c>head || tail</c>, without concatenating them: <c>SHA-256(0x00 || head || tail)</c>
    /// into <paramref name="destination"/>.
    /// </summary>
    public static void Leaf(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, Span<byte> destination)
    {
        var sha = t_sha256 ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        t_sha256 = null;
        sha.AppendData([0x00]);
        sha.AppendData(head);
        sha.AppendData(tail);
        if (sha.GetHashAndReset(destination) != Size)
        {
            throw new ArgumentException("The destination is smaller than a SHA-256 hash.", nameof(destination));
        }

        t_sha256 = sha;
    }

    /// <summary>Interior node hash of two child hashes.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    /// <summary>Interior node hash of two child hashes into <paramref name="destination"/>.</summary>
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        SHA256.HashData(input, destination);
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
