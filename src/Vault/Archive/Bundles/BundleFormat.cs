using System.Globalization;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>
/// Constants of the sealed bundle format, version 1 (docs/protocol.md, section 17): the magic, the record
/// types and the limit on every length and count a reader accepts.
/// </summary>
public static class BundleFormat
{
    /// <summary>The format version in the header.</summary>
    public const byte Version = 1;

    /// <summary>Size of a record's frame: type (1) and length (u64).</summary>
    public const int FrameSize = 1 + 8;

    /// <summary>Largest header record body.</summary>
    public const int MaxHeaderSize = 8 * 1024;

    /// <summary>Largest body of a reserved certificate record (trust statements are archived entries instead: section 17.1).</summary>
    public const int MaxCertificateSize = 64 * 1024;

    /// <summary>Most log keys in a header.</summary>
    public const int MaxLogKeys = 16;

    /// <summary>Most device cards.</summary>
    public const int MaxDeviceCards = 65536;

    /// <summary>Most reserved certificate records.</summary>
    public const int MaxCertificates = 65536;

    /// <summary>Most trust statements a verifier lists (it keeps each one; bounds its memory).</summary>
    public const int MaxTrustStatements = 65536;

    /// <summary>Most checkpoints (the verifier keeps 40 bytes per checkpoint).</summary>
    public const int MaxCheckpoints = 262144;

    /// <summary>Largest tree a bundle holds.</summary>
    public const long MaxTreeSize = ArchiveEntry.MaxIndex;

    /// <summary>Most member ids a verifier tracks over all epochs of all channels (bounds its memory).</summary>
    public const int MaxTrackedMembers = 1 << 22;

    /// <summary>Size of the seal record body: digest (32), key ID (4), Ed25519 signature (64).</summary>
    public const int SealSize = 32 + 4 + 64;

    /// <summary>The first line of the seal's signed-note body.</summary>
    public const string SealFirstLine = "securedialogue bundle v1";

    /// <summary>Largest attachment record body: blob id and the ciphertext of the largest attachment.</summary>
    public static readonly long MaxAttachmentRecordSize = 32 + AttachmentFormat.CiphertextLength(AttachmentFormat.MaxPlaintextLength);

    /// <summary>The eight bytes every bundle starts with: <c>"SDLGBNDL"</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "SDLGBNDL"u8;

    /// <summary>The body of the seal's signed note: four lines, each ending in a newline.</summary>
    public static string SealBody(string origin, long treeSize, ReadOnlySpan<byte> digest) =>
        string.Create(CultureInfo.InvariantCulture, $"{SealFirstLine}\n{origin}\n{treeSize}\n{Convert.ToBase64String(digest)}\n");

    /// <summary>
    /// True when <paramref name="entry"/> is an <c>Envelope</c> entry whose inline payload is an envelope summary
    /// (section 7.12) rather than the envelope: a bundle then carries the envelope in an <see cref="BundleRecordType.Envelope"/>
    /// record right after it. The two payloads never coincide: an envelope's ciphertext is at least 272 bytes, so its
    /// encoding is longer than any summary of its header.
    /// </summary>
    public static bool IsSummaryEnvelopeEntry(ArchiveEntry entry)
    {
        System.ArgumentNullException.ThrowIfNull(entry);
        return entry.Kind == ArchiveEntryKind.Envelope && entry.Form == ArchivePayloadForm.Inline &&
               entry.Payload.Length <= Envelopes.EnvelopeSummary.MaxEncodedSize && Envelopes.EnvelopeSummary.Decode(entry.Payload.Span).IsSuccess;
    }

    /// <summary>Largest body a record of <paramref name="type"/> may have; -1 for an undefined type.</summary>
    public static long MaxBodySize(BundleRecordType type) => type switch
    {
        BundleRecordType.Header => MaxHeaderSize,
        BundleRecordType.DeviceCard => Keys.DevicePublicKeys.EncodedSize,
        BundleRecordType.Certificate => MaxCertificateSize,
        BundleRecordType.Checkpoint => SignedCheckpoint.MaxEncodedSize,
        BundleRecordType.Entry => ArchiveEntry.MaxEncodedSize,
        BundleRecordType.Attachment => MaxAttachmentRecordSize,
        BundleRecordType.Envelope => Envelopes.Envelope.MaxEncodedSize,
        BundleRecordType.Seal => SealSize,
        _ => -1,
    };
}

/// <summary>The type byte of a bundle record. The order of records in a bundle is fixed (section 17.2).</summary>
public enum BundleRecordType : byte
{
    /// <summary>Not a record type.</summary>
    None = 0,

    /// <summary>The header: version, review, origin, time, attachment mode, tree size, log keys, counts.</summary>
    Header = 1,

    /// <summary>A member device card (130 bytes, self-signed).</summary>
    DeviceCard = 2,

    /// <summary>A device certificate; reserved for the certification model of issue 6 (opaque, counted, not checked).</summary>
    Certificate = 3,

    /// <summary>A checkpoint as its signed note, cosignature lines included.</summary>
    Checkpoint = 4,

    /// <summary>An archive entry's encoding (section 16.2).</summary>
    Entry = 5,

    /// <summary>An attachment's ciphertext: blob id (BLAKE2b-256, 32 bytes) then the ciphertext.</summary>
    Attachment = 6,

    /// <summary>
    /// The envelope a summary-form <c>Envelope</c> entry describes (section 17.1): its encoding, right after the entry.
    /// </summary>
    Envelope = 7,

    /// <summary>The seal: digest of everything before it, signed by the current log key.</summary>
    Seal = 0x7f,
}

/// <summary>Whether a bundle carries attachments' ciphertexts or only their digests (the writer's choice, in the header).</summary>
public enum BundleAttachmentMode : byte
{
    /// <summary>Only the digests (the <c>AttachmentCiphertext</c> entries); the ciphertexts stay in storage.</summary>
    DigestsOnly = 0,

    /// <summary>Every digest-form <c>AttachmentCiphertext</c> entry is followed by an attachment record with the ciphertext.</summary>
    Ciphertexts = 1,
}
