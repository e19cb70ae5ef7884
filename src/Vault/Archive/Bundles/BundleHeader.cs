using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>
/// The first record of a bundle: which review's log it holds (review and origin), when it was written, whether
/// attachments' ciphertexts are inside, the tree size, the log keys with their ranges, and how many device
/// cards, certificates and checkpoints follow (section 17.3).
/// </summary>
public sealed class BundleHeader
{
    private const ulong OpenRange = ulong.MaxValue;
    private const long MaxTimestamp = 253402300799999;

    /// <summary>A header; validated by <see cref="Encode"/> and by the writer.</summary>
    public BundleHeader(
        Guid review, DateTimeOffset createdAt, BundleAttachmentMode attachmentMode, long treeSize, IReadOnlyList<ArchiveLogKey> logKeys,
        int deviceCardCount, int certificateCount, int checkpointCount)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        Review = review;
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdAt.ToUnixTimeMilliseconds());
        AttachmentMode = attachmentMode;
        TreeSize = treeSize;
        LogKeys = [.. logKeys];
        DeviceCardCount = deviceCardCount;
        CertificateCount = certificateCount;
        CheckpointCount = checkpointCount;
        var problem = Check();
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    /// <summary>The review whose log the bundle holds.</summary>
    public Guid Review { get; }

    /// <summary>The log's origin, <see cref="ArchiveOrigin.ForReview"/>.</summary>
    public string Origin => ArchiveOrigin.ForReview(Review);

    /// <summary>When the bundle was written (whole milliseconds).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether attachments' ciphertexts are inside.</summary>
    public BundleAttachmentMode AttachmentMode { get; }

    /// <summary>Number of entries (the bundle holds leaves 0 to TreeSize - 1).</summary>
    public long TreeSize { get; }

    /// <summary>The log keys, each with its range of tree sizes; exactly one is open (the current key, which signs the seal).</summary>
    public IReadOnlyList<ArchiveLogKey> LogKeys { get; }

    /// <summary>The current log key: the one whose range is open.</summary>
    public ArchiveLogKey CurrentKey => LogKeys.Single(k => k.LastTreeSize is null);

    /// <summary>Number of device card records.</summary>
    public int DeviceCardCount { get; }

    /// <summary>Number of certificate records.</summary>
    public int CertificateCount { get; }

    /// <summary>Number of checkpoint records (at least one).</summary>
    public int CheckpointCount { get; }

    /// <summary>The canonical encoding (the header record's body).</summary>
    public byte[] Encode()
    {
        var w = new CanonicalWriter(512);
        w.WriteByte(BundleFormat.Version);
        w.WriteGuid(Review);
        w.WriteAscii(Origin);
        w.WriteInt64(CreatedAt.ToUnixTimeMilliseconds());
        w.WriteByte((byte)AttachmentMode);
        w.WriteUInt64((ulong)TreeSize);
        w.WriteByte((byte)LogKeys.Count);
        foreach (var key in LogKeys)
        {
            w.WriteShortBytes(SignedNote.StrictUtf8.GetBytes(key.Name));
            w.WriteBytes(key.PublicKey);
            w.WriteUInt64((ulong)key.FirstTreeSize);
            w.WriteUInt64(key.LastTreeSize is { } last ? (ulong)last : OpenRange);
        }

        w.WriteUInt32((uint)DeviceCardCount);
        w.WriteUInt32((uint)CertificateCount);
        w.WriteUInt32((uint)CheckpointCount);
        return w.ToArray();
    }

    /// <summary>Decodes a header record body (bounded; never throws on hostile input).</summary>
    public static Result<BundleHeader, BundleHeaderError> Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length > BundleFormat.MaxHeaderSize)
        {
            return BundleHeaderError.Malformed;
        }

        var r = new CanonicalReader(body);
        if (!r.TryReadByte(out var version))
        {
            return BundleHeaderError.Malformed;
        }

        if (version != BundleFormat.Version)
        {
            return BundleHeaderError.UnsupportedVersion;
        }

        if (!r.TryReadGuid(out var review) ||
            !r.TryReadAscii(1, SignedCheckpoint.MaxOriginLength, static b => b is > 0x20 and < 0x7f, out var origin) ||
            !string.Equals(origin, ArchiveOrigin.ForReview(review), StringComparison.Ordinal) ||
            !r.TryReadInt64(out var created) || created is < 0 or > MaxTimestamp ||
            !r.TryReadByte(out var mode) || mode > (byte)BundleAttachmentMode.Ciphertexts ||
            !r.TryReadUInt64(out var treeSize) || treeSize > BundleFormat.MaxTreeSize ||
            !r.TryReadByte(out var keyCount) || keyCount is 0 or > BundleFormat.MaxLogKeys)
        {
            return BundleHeaderError.Malformed;
        }

        var keys = new List<ArchiveLogKey>(keyCount);
        for (var i = 0; i < keyCount; i++)
        {
            if (!r.TryReadShortBytes(1, 255, out var nameBytes) || !System.Text.Unicode.Utf8.IsValid(nameBytes) ||
                !r.TryReadBytes(Ed25519.PublicKeySize, out var publicKey) ||
                !r.TryReadUInt64(out var first) || !r.TryReadUInt64(out var last) ||
                first > long.MaxValue || (last != OpenRange && (last > long.MaxValue || last < first)))
            {
                return BundleHeaderError.Malformed;
            }

            var name = SignedNote.StrictUtf8.GetString(nameBytes);
            if (!SignedNote.IsValidKeyName(name) || !Ed25519.IsValidPublicKey(publicKey))
            {
                return BundleHeaderError.Malformed;
            }

            keys.Add(new ArchiveLogKey(name, publicKey, (long)first, last == OpenRange ? null : (long)last));
        }

        if (!r.TryReadUInt32(out var cards) || !r.TryReadUInt32(out var certificates) || !r.TryReadUInt32(out var checkpoints) || !r.End ||
            cards > BundleFormat.MaxDeviceCards || certificates > BundleFormat.MaxCertificates ||
            checkpoints is 0 or > BundleFormat.MaxCheckpoints)
        {
            return BundleHeaderError.Malformed;
        }

        try
        {
            return new BundleHeader(review, DateTimeOffset.FromUnixTimeMilliseconds(created), (BundleAttachmentMode)mode, (long)treeSize, keys,
                (int)cards, (int)certificates, (int)checkpoints);
        }
        catch (ArgumentException)
        {
            return BundleHeaderError.Malformed;
        }
    }

    private string? Check()
    {
        if (!Enum.IsDefined(AttachmentMode))
        {
            return "Undefined attachment mode.";
        }

        if (TreeSize is < 0 or > BundleFormat.MaxTreeSize)
        {
            return "The tree size is out of range.";
        }

        if (CreatedAt.ToUnixTimeMilliseconds() is < 0 or > MaxTimestamp)
        {
            return "The time must be between 1970 and 9999.";
        }

        if (LogKeys.Count is 0 or > BundleFormat.MaxLogKeys)
        {
            return $"A bundle names 1 to {BundleFormat.MaxLogKeys} log keys.";
        }

        if (LogKeys.Any(k => SignedNote.StrictUtf8.GetByteCount(k.Name) > 255))
        {
            return "A log key name is at most 255 bytes.";
        }

        if (LogKeys.Count(k => k.LastTreeSize is null) != 1)
        {
            return "Exactly one log key (the current one) has an open range.";
        }

        if (LogKeys.Select(k => (k.Name, k.NoteKeyId)).Distinct().Count() != LogKeys.Count)
        {
            return "Two log keys have the same name and key ID.";
        }

        if (DeviceCardCount is < 0 or > BundleFormat.MaxDeviceCards || CertificateCount is < 0 or > BundleFormat.MaxCertificates ||
            CheckpointCount is < 1 or > BundleFormat.MaxCheckpoints)
        {
            return "A count is out of range (at least one checkpoint).";
        }

        return null;
    }
}

/// <summary>Why a bundle header did not decode.</summary>
public enum BundleHeaderError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Truncated, trailing bytes, or a field out of its range.</summary>
    Malformed,

    /// <summary>A format version other than 1.</summary>
    UnsupportedVersion,
}
