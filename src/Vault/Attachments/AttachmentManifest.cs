using System.Diagnostics;
using System.Security.Cryptography;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// Everything a reader needs to fetch, decrypt and check one attachment: its file name, media type, plaintext
/// length and hash, the chunking, the file key, and the ciphertext's length and hash (which is also the
/// blob's id in storage). It travels only inside an envelope, as a <see cref="SegmentKind.FileReference"/>
/// segment, so it is encrypted to the channel and signed by the sender; the server never sees it.
/// Encoding: docs/protocol.md, section 15.3 (<see cref="Encode"/>, <see cref="Decode"/>).
/// </summary>
[DebuggerDisplay("AttachmentManifest, {PlaintextLength} bytes")]
public sealed partial class AttachmentManifest : IDisposable
{
    private readonly byte[] _plaintextHash;
    private readonly byte[] _ciphertextHash;

    internal AttachmentManifest(
        string fileName, string mediaType, long plaintextLength, ReadOnlySpan<byte> plaintextHash, SecureMemoryHandle fileKey,
        ReadOnlySpan<byte> ciphertextHash)
    {
        Debug.Assert(AttachmentNames.IsValidFileName(fileName) && AttachmentNames.IsValidMediaType(mediaType));
        Debug.Assert(plaintextLength is >= 0 and <= AttachmentFormat.MaxPlaintextLength);
        Debug.Assert(fileKey.Length == AttachmentFormat.KeySize);
        FileName = fileName;
        MediaType = mediaType;
        PlaintextLength = plaintextLength;
        _plaintextHash = plaintextHash.ToArray();
        FileKey = fileKey;
        _ciphertextHash = ciphertextHash.ToArray();
    }

    /// <summary>The file name the sender gave (never a path; see <see cref="AttachmentNames.IsValidFileName"/>).</summary>
    public string FileName { get; }

    /// <summary>The media type the sender gave, e.g. <c>application/pdf</c>.</summary>
    public string MediaType { get; }

    /// <summary>The exact plaintext length in bytes.</summary>
    public long PlaintextLength { get; }

    /// <summary>BLAKE2b-256 of the plaintext, personalisation <c>sdlg.att.plain</c>.</summary>
    public ReadOnlySpan<byte> PlaintextHash => _plaintextHash;

    /// <summary>Plaintext bytes per chunk; always <see cref="AttachmentFormat.ChunkSize"/> in version 1.</summary>
    public int ChunkSize { get; } = AttachmentFormat.ChunkSize;

    /// <summary>The padded plaintext length the ciphertext carries (<see cref="AttachmentFormat.PaddedLength"/>).</summary>
    public long PaddedLength => AttachmentFormat.PaddedLength(PlaintextLength);

    /// <summary>Number of secretstream chunks.</summary>
    public long ChunkCount => AttachmentFormat.ChunkCount(PlaintextLength);

    /// <summary>The exact ciphertext (blob) length.</summary>
    public long CiphertextLength => AttachmentFormat.CiphertextLength(PlaintextLength);

    /// <summary>BLAKE2b-256 of the whole ciphertext, personalisation <c>sdlg.att.hash</c>: the blob's id.</summary>
    public ReadOnlySpan<byte> CiphertextHash => _ciphertextHash;

    /// <summary>The ciphertext hash as 64 lower-case hex digits, the form storage uses as the blob id.</summary>
    public string BlobId => Convert.ToHexStringLower(_ciphertextHash);

    /// <summary>The file key (sodium_malloc memory). Its only copy outside this process is the encoded manifest.</summary>
    internal SecureMemoryHandle FileKey { get; }

    /// <summary>The manifest as a file-reference segment, ready for an <see cref="EnvelopeDraft"/>.</summary>
    public Segment ToSegment()
    {
        var encoded = Encode();
        try
        {
            return Segment.FileReference(encoded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
        }
    }

    /// <summary>Reads the manifest of a file-reference segment; other segment kinds are <see cref="AttachmentError.Malformed"/>.</summary>
    public static Result<AttachmentManifest, AttachmentError> FromSegment(Segment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Kind == SegmentKind.FileReference ? Decode(segment.Content.Span) : AttachmentError.Malformed;
    }

    /// <summary>Wipes the file key.</summary>
    public void Dispose() => FileKey.Dispose();

    /// <inheritdoc />
    public override string ToString() => nameof(AttachmentManifest);
}
