using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>
/// Reads a bundle's record frames from a stream, bounded: every length is checked against its type's limit
/// (<see cref="BundleFormat.MaxBodySize"/>) before a byte of the body is read, bodies up to 1.1 MiB are read into
/// one reused buffer, and attachment bodies are streamed in 64 KiB pieces. Keeps the SHA-256 of every byte
/// before the seal record (the seal's digest). Never throws on hostile input; I/O errors propagate.
/// </summary>
public sealed class BundleReader : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _frame = new byte[BundleFormat.FrameSize];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private long _remaining;

    /// <summary>A reader over <paramref name="stream"/>, positioned at the bundle's first byte.</summary>
    public BundleReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>The current record's type (after <see cref="ReadFrameAsync"/>).</summary>
    public BundleRecordType Type { get; private set; }

    /// <summary>The current record's body length.</summary>
    public long Length { get; private set; }

    /// <summary>Offset of the current record's frame in the bundle.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>Reads and checks the eight-byte magic.</summary>
    public async ValueTask<BundleReadStatus> ReadMagicAsync(CancellationToken cancellationToken = default)
    {
        var magic = new byte[BundleFormat.Magic.Length];
        if (!await FillAsync(magic, hash: true, cancellationToken).ConfigureAwait(false))
        {
            return BundleReadStatus.Truncated;
        }

        return magic.AsSpan().SequenceEqual(BundleFormat.Magic) ? BundleReadStatus.Ok : BundleReadStatus.Malformed;
    }

    /// <summary>
    /// Reads the next frame (the previous body must have been read or skipped): <see cref="BundleReadStatus.End"/> at
    /// a clean end of stream, <see cref="BundleReadStatus.Truncated"/> inside a frame, <see cref="BundleReadStatus.Malformed"/>
    /// for an undefined type or a length above the type's limit.
    /// </summary>
    public async ValueTask<BundleReadStatus> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        if (_remaining != 0)
        {
            throw new InvalidOperationException("The previous record's body was not read.");
        }

        RecordOffset = Position;
        var read = await _stream.ReadAtLeastAsync(_frame, _frame.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Position += read;
        if (read == 0)
        {
            return BundleReadStatus.End;
        }

        if (read < _frame.Length)
        {
            return BundleReadStatus.Truncated;
        }

        var type = (BundleRecordType)_frame[0];
        var length = BinaryPrimitives.ReadUInt64BigEndian(_frame.AsSpan(1));
        var max = BundleFormat.MaxBodySize(type);
        if (max < 0 || length > (ulong)max)
        {
            return BundleReadStatus.Malformed;
        }

        Type = type;
        Length = (long)length;
        _remaining = Length;
        if (type != BundleRecordType.Seal)
        {
            _digest.AppendData(_frame);
        }

        return BundleReadStatus.Ok;
    }

    /// <summary>
    /// Reads the whole current body (any type but <see cref="BundleRecordType.Attachment"/>) into a buffer that stays
    /// valid until the next call; null when the stream ends first.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(CancellationToken cancellationToken = default)
    {
        if (Length > ArchiveEntry.MaxEncodedSize)
        {
            throw new InvalidOperationException("Stream attachment bodies with ReadChunkAsync.");
        }

        var length = (int)Length;
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }

        var body = _buffer.AsMemory(0, length);
        if (!await FillAsync(body, Type != BundleRecordType.Seal, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _remaining = 0;
        return body;
    }

    /// <summary>
    /// Reads the next piece (at most 64 KiB) of the current body; empty when the body is done, null when the stream
    /// ends first. The piece stays valid until the next call.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadChunkAsync(CancellationToken cancellationToken = default)
    {
        if (_remaining == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var piece = _buffer.AsMemory(0, (int)Math.Min(_remaining, Math.Min(ChunkSize, _buffer.Length)));
        if (!await FillAsync(piece, hash: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _remaining -= piece.Length;
        return piece;
    }

    /// <summary>SHA-256 of every byte before the current record when it is the seal (of all bytes read so far otherwise).</summary>
    public byte[] Digest() => _digest.GetCurrentHash();

    /// <inheritdoc />
    public void Dispose()
    {
        _digest.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private async ValueTask<bool> FillAsync(Memory<byte> destination, bool hash, CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Position += read;
        if (read < destination.Length)
        {
            return false;
        }

        if (hash)
        {
            _digest.AppendData(destination.Span);
        }

        return true;
    }
}

/// <summary>What reading a frame gave.</summary>
public enum BundleReadStatus
{
    /// <summary>A frame (or the magic) was read.</summary>
    Ok = 0,

    /// <summary>The stream ended cleanly at a frame boundary.</summary>
    End,

    /// <summary>The stream ended inside the magic, a frame or a body.</summary>
    Truncated,

    /// <summary>Wrong magic, undefined record type, or a length above the type's limit.</summary>
    Malformed,
}
