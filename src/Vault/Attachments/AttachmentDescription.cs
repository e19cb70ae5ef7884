namespace SecureDialogue.Vault.Attachments;

/// <summary>What the sender says about a file: its name and media type, bound into the ciphertext and the manifest.</summary>
public sealed record AttachmentDescription
{
    /// <summary>Creates a description; throws when the name or media type breaks <see cref="AttachmentNames"/>' rules.</summary>
    /// <exception cref="ArgumentException">An invalid file name or media type.</exception>
    public AttachmentDescription(string fileName, string mediaType = AttachmentNames.DefaultMediaType)
    {
        if (!AttachmentNames.IsValidFileName(fileName))
        {
            throw new ArgumentException("A file name is 1-1024 UTF-8 bytes without '/', '\\', control or bidirectional formatting characters.", nameof(fileName));
        }

        if (!AttachmentNames.IsValidMediaType(mediaType))
        {
            throw new ArgumentException("A media type is lower-case 'type/subtype' (RFC 6838 restricted names), without parameters.", nameof(mediaType));
        }

        FileName = fileName;
        MediaType = mediaType;
    }

    /// <summary>The file name (no directory).</summary>
    public string FileName { get; }

    /// <summary>The media type, e.g. <c>application/pdf</c>.</summary>
    public string MediaType { get; }

    /// <summary>
    /// The associated data of the final chunk (protocol.md 15.2):
    /// <c>"SecureDialogue/attachment/v1" 0x00 || u16-bytes name || u8-bytes media type || u64 plaintext length</c>.
    /// </summary>
    internal static byte[] FinalChunkAssociatedData(string fileName, string mediaType, long plaintextLength)
    {
        var context = ProtocolConstants.AttachmentContext;
        var name = AttachmentNames.EncodeFileName(fileName);
        var result = new byte[context.Length + 2 + name.Length + 1 + mediaType.Length + 8];
        var span = result.AsSpan();
        context.CopyTo(span);
        span = span[context.Length..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)name.Length);
        name.CopyTo(span[2..]);
        span = span[(2 + name.Length)..];
        span[0] = (byte)mediaType.Length;
        System.Text.Encoding.ASCII.GetBytes(mediaType, span[1..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(span[(1 + mediaType.Length)..], (ulong)plaintextLength);
        return result;
    }
}
