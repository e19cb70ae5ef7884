using System.Security.Cryptography;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// A committed blob, named by its content: the attachment ciphertext hash (BLAKE2b-256, <c>sdlg.att.hash</c>)
/// as 64 lower-case hex digits. The store commits a blob under this id only after recomputing the hash.
/// </summary>
internal readonly record struct BlobId
{
    private BlobId(string value) => Value = value;

    /// <summary>64 lower-case hex digits.</summary>
    public string Value { get; }

    /// <summary>The id of a blob with this ciphertext hash.</summary>
    public static BlobId FromHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("A blob id is a 32-byte hash.", nameof(hash));
        }

        return new BlobId(Convert.ToHexStringLower(hash));
    }

    /// <summary>Parses 64 lower-case hex digits; anything else is refused.</summary>
    public static bool TryParse(string? text, out BlobId id)
    {
        id = default;
        if (!IsLowerHex(text, 64))
        {
            return false;
        }

        id = new BlobId(text!);
        return true;
    }

    /// <summary>The 32 hash bytes.</summary>
    public byte[] ToHash() => Convert.FromHexString(Value);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    private static readonly System.Buffers.SearchValues<char> s_lowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    internal static bool IsLowerHex(string? text, int length) =>
        text is not null && text.Length == length && text.AsSpan().IndexOfAnyExcept(s_lowerHex) < 0;
}

/// <summary>An upload in progress: 16 random bytes as 32 lower-case hex digits, chosen by the store.</summary>
internal readonly record struct BlobUploadId
{
    private BlobUploadId(string value) => Value = value;

    /// <summary>32 lower-case hex digits.</summary>
    public string Value { get; }

    /// <summary>A fresh random id.</summary>
    public static BlobUploadId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    /// <summary>Parses 32 lower-case hex digits; anything else is refused (ids become file and object names).</summary>
    public static bool TryParse(string? text, out BlobUploadId id)
    {
        id = default;
        if (!BlobId.IsLowerHex(text, 32))
        {
            return false;
        }

        id = new BlobUploadId(text!);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
