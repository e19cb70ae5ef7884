using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Attachments;

public sealed partial class AttachmentManifest
{
    /// <summary>Size of the fixed fields: 125 bytes plus the file name and media type.</summary>
    public const int FixedSize = 125;

    /// <summary>Largest encoded manifest: 125 + 1024 + 255 = 1404 bytes.</summary>
    public const int MaxEncodedSize = FixedSize + AttachmentNames.MaxFileNameBytes + AttachmentNames.MaxMediaTypeBytes;

    /// <summary>
    /// The canonical encoding (protocol.md 15.3): version, suite, u16-bytes name, u8-bytes media type, u64
    /// plaintext length, plaintext hash, u32 chunk size, u32 chunk count, file key, ciphertext hash, u64
    /// ciphertext length. It contains the file key: wipe the array when done with it.
    /// </summary>
    public byte[] Encode()
    {
        var name = AttachmentNames.EncodeFileName(FileName);
        var result = new byte[FixedSize + name.Length + MediaType.Length];
        var span = result.AsSpan();
        span[0] = AttachmentFormat.Version;
        span[1] = AttachmentFormat.Suite;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)name.Length);
        name.CopyTo(span[4..]);
        span = span[(4 + name.Length)..];
        span[0] = (byte)MediaType.Length;
        Encoding.ASCII.GetBytes(MediaType, span[1..]);
        span = span[(1 + MediaType.Length)..];
        BinaryPrimitives.WriteUInt64BigEndian(span, (ulong)PlaintextLength);
        _plaintextHash.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[40..], AttachmentFormat.ChunkSize);
        BinaryPrimitives.WriteUInt32BigEndian(span[44..], (uint)ChunkCount);
        FileKey.Export(span.Slice(48, AttachmentFormat.KeySize));
        _ciphertextHash.CopyTo(span[80..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[112..], (ulong)CiphertextLength);
        System.Diagnostics.Debug.Assert(span.Length == 120);
        return result;
    }

    /// <summary>
    /// Decodes a manifest, in order: longer than <see cref="MaxEncodedSize"/> or shorter than 2 bytes:
    /// <see cref="AttachmentError.Malformed"/>; version or suite not 1: <see cref="AttachmentError.UnsupportedVersion"/>;
    /// any field out of bounds, a chunk size other than 65536, a chunk count or ciphertext length other than
    /// the ones the plaintext length implies, truncation or trailing bytes: <see cref="AttachmentError.Malformed"/>.
    /// Linear in the input; never throws on hostile bytes.
    /// </summary>
    public static Result<AttachmentManifest, AttachmentError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize || encoded.Length < 2)
        {
            return AttachmentError.Malformed;
        }

        if (encoded[0] != AttachmentFormat.Version || encoded[1] != AttachmentFormat.Suite)
        {
            return AttachmentError.UnsupportedVersion;
        }

        var reader = new CanonicalReader(encoded[2..]);
        if (!reader.TryReadUInt16(out var nameLength) || nameLength is 0 or > AttachmentNames.MaxFileNameBytes ||
            !reader.TryReadBytes(nameLength, out var nameBytes) || AttachmentNames.DecodeFileName(nameBytes) is not { } name ||
            !reader.TryReadShortBytes(3, AttachmentNames.MaxMediaTypeBytes, out var typeBytes) ||
            AttachmentNames.DecodeMediaType(typeBytes) is not { } mediaType ||
            !reader.TryReadUInt64(out var plaintextLength) || plaintextLength > AttachmentFormat.MaxPlaintextLength ||
            !reader.TryReadBytes(AttachmentFormat.HashSize, out var plaintextHash) ||
            !reader.TryReadUInt32(out var chunkSize) || chunkSize != AttachmentFormat.ChunkSize ||
            !reader.TryReadUInt32(out var chunkCount) || chunkCount != AttachmentFormat.ChunkCount((long)plaintextLength) ||
            !reader.TryReadBytes(AttachmentFormat.KeySize, out var key) ||
            !reader.TryReadBytes(AttachmentFormat.HashSize, out var ciphertextHash) ||
            !reader.TryReadUInt64(out var ciphertextLength) || ciphertextLength != (ulong)AttachmentFormat.CiphertextLength((long)plaintextLength) ||
            !reader.End)
        {
            return AttachmentError.Malformed;
        }

        var fileKey = SecureMemoryHandle.CreateFrom(key);
        return new AttachmentManifest(name, mediaType, (long)plaintextLength, plaintextHash, fileKey, ciphertextHash);
    }

    /// <summary>True when both manifests describe the same file with the same key (constant time on the key).</summary>
    public bool DescribesSameFile(AttachmentManifest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return FileName == other.FileName && MediaType == other.MediaType && PlaintextLength == other.PlaintextLength &&
               CryptographicOperations.FixedTimeEquals(_plaintextHash, other._plaintextHash) &&
               CryptographicOperations.FixedTimeEquals(_ciphertextHash, other._ciphertextHash) &&
               FileKey.FixedTimeEquals(other.FileKey);
    }
}
