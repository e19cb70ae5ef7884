using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>
/// Writes a sealed bundle to a stream in one pass (section 17): the header, the device cards, the certificates,
/// the checkpoints, the entries in index order (each digest-form attachment followed by its ciphertext when the
/// header says so), then the seal signed with the current log key. Enforces the order and counts the header
/// declares, recomputes the tree as entries are written and refuses to seal a log whose entries do not give a
/// checkpoint's root, and checks attachment ciphertexts against their entries. Memory: one entry at a time.
/// Not thread-safe.
/// </summary>
public sealed class BundleWriter
{
    private const int CopyBufferSize = 64 * 1024;
    private readonly Stream _output;
    private readonly BundleHeader _header;
    private readonly CheckpointSigner _signer;
    private readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MerkleFrontier _frontier = new();
    private readonly List<(long Size, byte[] Root)> _checkpoints = [];
    private readonly byte[] _frame = new byte[BundleFormat.FrameSize];
    private int _cards;
    private int _certificates;
    private int _nextCheckpoint;
    private bool _completed;

    private BundleWriter(Stream output, BundleHeader header, CheckpointSigner signer)
    {
        _output = output;
        _header = header;
        _signer = signer;
    }

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    /// <summary>Entries written so far.</summary>
    public long EntryCount => _frontier.Size;

    /// <summary>
    /// Starts a bundle: writes the magic and the header. <paramref name="signer"/> must be the header's current
    /// log key; it signs the seal.
    /// </summary>
    public static async Task<BundleWriter> CreateAsync(Stream output, BundleHeader header, CheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(signer);
        var current = header.CurrentKey;
        if (!string.Equals(current.Name, signer.KeyName, StringComparison.Ordinal) || !current.PublicKey.SequenceEqual(signer.PublicKey))
        {
            throw new ArgumentException("The signer is not the header's current log key.", nameof(signer));
        }

        var writer = new BundleWriter(output, header, signer);
        await writer.WriteRawAsync(BundleFormat.Magic.ToArray(), hash: true, cancellationToken).ConfigureAwait(false);
        await writer.WriteRecordAsync(BundleRecordType.Header, header.Encode(), cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <summary>Writes the next device card (all cards come first, <see cref="BundleHeader.DeviceCardCount"/> of them).</summary>
    public Task WriteDeviceCardAsync(DevicePublicKeys card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        Expect(_cards < _header.DeviceCardCount && _certificates == 0 && _checkpoints.Count == 0, "device card");
        _cards++;
        return WriteRecordAsync(BundleRecordType.DeviceCard, card.Encode(), cancellationToken);
    }

    /// <summary>Writes the next certificate (opaque until the certification model of issue 6), after the cards.</summary>
    public Task WriteCertificateAsync(ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default)
    {
        Expect(_cards == _header.DeviceCardCount && _certificates < _header.CertificateCount && _checkpoints.Count == 0, "certificate");
        if (certificate.Length > BundleFormat.MaxCertificateSize)
        {
            throw new ArgumentException($"A certificate is at most {BundleFormat.MaxCertificateSize} bytes.", nameof(certificate));
        }

        _certificates++;
        return WriteRecordAsync(BundleRecordType.Certificate, certificate, cancellationToken);
    }

    /// <summary>Writes the next checkpoint (non-decreasing sizes, none beyond the tree size; the last of the tree size).</summary>
    public Task WriteCheckpointAsync(SignedCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Expect(_cards == _header.DeviceCardCount && _certificates == _header.CertificateCount && _checkpoints.Count < _header.CheckpointCount, "checkpoint");
        if (!string.Equals(checkpoint.Origin, _header.Origin, StringComparison.Ordinal) || checkpoint.TreeSize > _header.TreeSize ||
            (_checkpoints.Count > 0 && checkpoint.TreeSize < _checkpoints[^1].Size))
        {
            throw new ArgumentException("Checkpoints are of this review, in non-decreasing order of size, none beyond the tree size.", nameof(checkpoint));
        }

        if (_checkpoints.Count == _header.CheckpointCount - 1 && checkpoint.TreeSize != _header.TreeSize)
        {
            throw new ArgumentException("The last checkpoint must be of the bundle's tree size.", nameof(checkpoint));
        }

        _checkpoints.Add((checkpoint.TreeSize, checkpoint.RootHash.ToArray()));
        return WriteRecordAsync(BundleRecordType.Checkpoint, checkpoint.Encode(), cancellationToken);
    }

    /// <summary>
    /// Writes the next entry (index <see cref="EntryCount"/>). A digest-form <see cref="ArchiveEntryKind.AttachmentCiphertext"/>
    /// entry in a bundle with <see cref="BundleAttachmentMode.Ciphertexts"/> needs <paramref name="attachment"/>: the blob id
    /// (BLAKE2b-256 ciphertext hash) and a stream of exactly the ciphertext, checked against the entry and the id. A cosignature
    /// entry's tree head must be one of the bundle's checkpoints.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entries do not recompute to a checkpoint's root, or an attachment does not match.</exception>
    public async Task WriteEntryAsync(ArchiveEntry entry, BundleAttachment? attachment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (BundleFormat.IsSummaryEnvelopeEntry(entry))
        {
            throw new ArgumentException("A summary-form envelope entry is written with its envelope (WriteEnvelopeEntryAsync).", nameof(entry));
        }

        await WriteEntryRecordAsync(entry, attachment, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the next entry, an <c>Envelope</c> entry whose payload is the summary of <paramref name="envelope"/>, then
    /// the envelope itself in an <see cref="BundleRecordType.Envelope"/> record (section 17.1). Throws
    /// <see cref="ArgumentException"/> when the entry is not a summary-form envelope entry or does not describe the envelope.
    /// </summary>
    public async Task WriteEnvelopeEntryAsync(ArchiveEntry entry, Envelopes.Envelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(envelope);
        if (!BundleFormat.IsSummaryEnvelopeEntry(entry) || !Envelopes.EnvelopeSummary.Decode(entry.Payload.Span).Value!.Describes(envelope))
        {
            throw new ArgumentException($"Entry {entry.Index} is not the summary of this envelope.", nameof(envelope));
        }

        await WriteEntryRecordAsync(entry, null, envelope, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteEntryRecordAsync(ArchiveEntry entry, BundleAttachment? attachment, Envelopes.Envelope? envelope, CancellationToken cancellationToken)
    {
        Expect(_checkpoints.Count == _header.CheckpointCount && _frontier.Size < _header.TreeSize, "entry");
        if (entry.Review != _header.Review || entry.Index != _frontier.Size)
        {
            throw new ArgumentException($"Expected entry {_frontier.Size} of review {_header.Review}.", nameof(entry));
        }

        if (_frontier.Size == 0)
        {
            MatchCheckpoints();
        }

        var needsAttachment = entry.Kind == ArchiveEntryKind.AttachmentCiphertext && entry.Form == ArchivePayloadForm.Digest &&
                              _header.AttachmentMode == BundleAttachmentMode.Ciphertexts;
        if (needsAttachment != attachment is not null)
        {
            throw new ArgumentException(needsAttachment ? "This entry's attachment ciphertext is required." : "Only a digest-form attachment entry takes a ciphertext.", nameof(attachment));
        }

        if (entry.Kind == ArchiveEntryKind.Cosignature && entry.Form == ArchivePayloadForm.Inline &&
            SignedCheckpoint.Parse(entry.Payload.Span).TryGetValue(out var cosigned, out _) &&
            !_checkpoints.Any(c => c.Size == cosigned.TreeSize && c.Root.AsSpan().SequenceEqual(cosigned.RootHash)))
        {
            throw new InvalidOperationException($"Entry {entry.Index} cosigns the tree head of size {cosigned.TreeSize}, which is not among the bundle's checkpoints.");
        }

        var encoded = entry.Encode();
        await WriteRecordAsync(BundleRecordType.Entry, encoded, cancellationToken).ConfigureAwait(false);
        if (envelope is not null)
        {
            await WriteRecordAsync(BundleRecordType.Envelope, envelope.Encoded, cancellationToken).ConfigureAwait(false);
        }

        if (attachment is not null)
        {
            await WriteAttachmentAsync(entry, attachment, cancellationToken).ConfigureAwait(false);
        }

        _frontier.Append(MerkleHash.Leaf(encoded));
        MatchCheckpoints();
    }

    /// <summary>Writes the seal and flushes. Every declared record must have been written.</summary>
    public async Task<BundleWritten> CompleteAsync(CancellationToken cancellationToken = default)
    {
        Expect(_checkpoints.Count == _header.CheckpointCount && _frontier.Size == _header.TreeSize, "seal");
        if (_frontier.Size == 0)
        {
            MatchCheckpoints();
        }

        var digest = _digest.GetHashAndReset();
        var body = BundleFormat.SealBody(_header.Origin, _header.TreeSize, digest);
        var signature = _signer.SignText(body);
        var seal = new byte[BundleFormat.SealSize];
        digest.CopyTo(seal, 0);
        BinaryPrimitives.WriteUInt32BigEndian(seal.AsSpan(32), signature.KeyId);
        signature.Signature.CopyTo(seal.AsSpan(36));
        await WriteRecordAsync(BundleRecordType.Seal, seal, cancellationToken, hash: false).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        _digest.Dispose();
        return new BundleWritten(_header.TreeSize, _frontier.Root(), digest, Position);
    }

    private async Task WriteAttachmentAsync(ArchiveEntry entry, BundleAttachment attachment, CancellationToken cancellationToken)
    {
        if (attachment.BlobId.Length != AttachmentFormat.HashSize)
        {
            throw new ArgumentException("A blob id is 32 bytes.", nameof(attachment));
        }

        WriteFrame(BundleRecordType.Attachment, 32 + entry.PayloadLength);
        await WriteRawAsync(_frame, hash: true, cancellationToken).ConfigureAwait(false);
        await WriteRawAsync(attachment.BlobId, hash: true, cancellationToken).ConfigureAwait(false);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var blake = new AttachmentCiphertextHash();
        var buffer = new byte[CopyBufferSize];
        long copied = 0;
        while (copied < entry.PayloadLength)
        {
            var read = await attachment.Ciphertext.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, entry.PayloadLength - copied)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidOperationException($"Entry {entry.Index}'s attachment ciphertext is shorter than the entry says.");
            }

            sha.AppendData(buffer, 0, read);
            blake.Append(buffer.AsSpan(0, read));
            await WriteRawAsync(buffer.AsMemory(0, read), hash: true, cancellationToken).ConfigureAwait(false);
            copied += read;
        }

        if (await attachment.Ciphertext.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0 ||
            !CryptographicOperations.FixedTimeEquals(sha.GetHashAndReset(), entry.PayloadDigest) || !AttachmentCiphertextHash.Matches(attachment.BlobId, blake.Finish()))
        {
            throw new InvalidOperationException($"Entry {entry.Index}'s attachment ciphertext does not match its digest, length or blob id.");
        }
    }

    private void MatchCheckpoints()
    {
        while (_nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint].Size == _frontier.Size)
        {
            if (!_frontier.Root().AsSpan().SequenceEqual(_checkpoints[_nextCheckpoint].Root))
            {
                throw new InvalidOperationException(
                    $"The entries do not recompute to the signed root of checkpoint {_nextCheckpoint} (size {_frontier.Size}); refusing to seal.");
            }

            _nextCheckpoint++;
        }
    }

    private void Expect(bool allowed, string what)
    {
        if (_completed || !allowed)
        {
            throw new InvalidOperationException($"A {what} is not expected here: records follow the header's order and counts.");
        }
    }

    private async Task WriteRecordAsync(BundleRecordType type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, bool hash = true)
    {
        WriteFrame(type, body.Length);
        await WriteRawAsync(_frame, hash, cancellationToken).ConfigureAwait(false);
        await WriteRawAsync(body, hash, cancellationToken).ConfigureAwait(false);
    }

    private void WriteFrame(BundleRecordType type, long length)
    {
        _frame[0] = (byte)type;
        BinaryPrimitives.WriteUInt64BigEndian(_frame.AsSpan(1), (ulong)length);
    }

    private async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, bool hash, CancellationToken cancellationToken)
    {
        if (hash)
        {
            _digest.AppendData(bytes.Span);
        }

        await _output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        Position += bytes.Length;
    }
}

/// <summary>An attachment's ciphertext for <see cref="BundleWriter.WriteEntryAsync"/>: its blob id and a stream of exactly its bytes.</summary>
/// <param name="BlobId">BLAKE2b-256 ciphertext hash (section 15.4), 32 bytes.</param>
/// <param name="Ciphertext">The ciphertext, read to its end (not disposed).</param>
public sealed record BundleAttachment(byte[] BlobId, Stream Ciphertext);

/// <summary>What <see cref="BundleWriter.CompleteAsync"/> wrote: tree size, root, the sealed digest and the bundle's size.</summary>
/// <param name="TreeSize">Number of entries.</param>
/// <param name="Root">RFC 9162 root of the entries.</param>
/// <param name="SealDigest">SHA-256 of every byte before the seal.</param>
/// <param name="Size">The bundle's size in bytes.</param>
public sealed record BundleWritten(long TreeSize, byte[] Root, byte[] SealDigest, long Size);
