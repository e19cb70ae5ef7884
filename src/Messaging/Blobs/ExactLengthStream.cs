namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Passes on exactly <c>length</c> bytes of an inner stream and fails the read that would complete them if
/// the inner stream ends early or still has bytes after them. A consumer that stores what it reads (a part
/// file, an S3 request body) therefore fails before it has stored a part of the wrong length.
/// </summary>
internal sealed class ExactLengthStream(Stream inner, long totalLength) : Stream
{
    private readonly byte[] _probe = new byte[1];
    private long _remaining = totalLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; } = totalLength;

    public override long Position
    {
        get => Length - _remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new LengthMismatchException();
        }

        _remaining -= read;
        if (_remaining == 0 && await inner.ReadAsync(_probe, cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new LengthMismatchException();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>True when <paramref name="e"/> or one of its inner exceptions is a length mismatch.</summary>
    public static bool IsMismatch(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is LengthMismatchException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsMismatch))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The content was shorter or longer than the part.</summary>
    internal sealed class LengthMismatchException() : IOException("The part's content does not have the declared length.");
}
