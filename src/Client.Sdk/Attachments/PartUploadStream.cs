using System.Buffers;
using System.Security.Cryptography;
using SecureDialogue.Client.Api;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Attachments;

/// <summary>A transfer stopped for a reason the caller reports (thrown through the encryptor, caught by the upload).</summary>
internal sealed class TransferStoppedException(AttachmentFailure failure) : Exception(failure.Detail)
{
    public AttachmentFailure Failure { get; } = failure;
}

/// <summary>
/// The destination of the attachment encryptor during an upload: cuts the ciphertext into the upload's parts and sends
/// each with <c>PUT .../parts/{n}</c>, one in flight while the next is encrypted (two part buffers, whatever the file
/// size). Parts the server already acknowledged are not sent again: their bytes (reproduced from the resume key) are
/// only compared with the SHA-256 recorded when they were first acknowledged. Transient failures are retried with
/// backoff; after the last retry the transfer stops and resumes on the next run from the acknowledged parts.
/// </summary>
internal sealed class PartUploadStream : Stream
{
    private static readonly TimeSpan[] s_retryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];
    private readonly Func<int, ReadOnlyMemory<byte>, CancellationToken, Task<Result<UploadedPart, ApiError>>> _send;
    private readonly UploadStatus _status;
    private readonly HashSet<int> _acknowledged;
    private readonly IReadOnlyDictionary<int, string> _knownHashes;
    private readonly Action<int, string> _onAcknowledged;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly TimeProvider _time;
    private readonly long _resumed;
    private byte[] _filling;
    private byte[] _spare;
    private int _filled;
    private int _nextPart = 1;
    private long _written;
    private long _done;
    private Task _inFlight = Task.CompletedTask;

    public PartUploadStream(
        UploadStatus status, IEnumerable<int> acknowledged, IReadOnlyDictionary<int, string> knownHashes,
        Func<int, ReadOnlyMemory<byte>, CancellationToken, Task<Result<UploadedPart, ApiError>>> send,
        Action<int, string> onAcknowledged, IProgress<TransferProgress>? progress, TimeProvider time)
    {
        _status = status;
        _acknowledged = [.. acknowledged];
        _knownHashes = knownHashes;
        _send = send;
        _onAcknowledged = onAcknowledged;
        _progress = progress;
        _time = time;
        _resumed = _acknowledged.Sum(n => PartLength(n));
        _filling = ArrayPool<byte>.Shared.Rent(status.PartSize);
        _spare = ArrayPool<byte>.Shared.Rent(status.PartSize);
        _progress?.Report(new TransferProgress(TransferPhase.Uploading, 0, status.Length, _resumed));
    }

    /// <summary>Parts actually sent in this run.</summary>
    public int PartsSent { get; private set; }

    /// <summary>Parts skipped because the server held them already.</summary>
    public int PartsSkipped { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_written + buffer.Length > _status.Length)
            {
                throw new InvalidOperationException("The ciphertext is longer than the declared upload length.");
            }

            var take = Math.Min(buffer.Length, _status.PartSize - _filled);
            buffer.Span[..take].CopyTo(_filling.AsSpan(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == _status.PartSize)
            {
                await EndPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends the last part and waits until every part is acknowledged.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await EndPartAsync(cancellationToken).ConfigureAwait(false);
        }

        await _inFlight.ConfigureAwait(false);
        if (_written != _status.Length || _nextPart != _status.PartCount + 1)
        {
            throw new InvalidOperationException("The ciphertext length differs from the declared upload length.");
        }
    }

    private async Task EndPartAsync(CancellationToken cancellationToken)
    {
        var number = _nextPart++;
        var length = _filled;
        _filled = 0;
        if (_acknowledged.Contains(number))
        {
            if (_knownHashes.TryGetValue(number, out var known) &&
                !string.Equals(known, Convert.ToHexStringLower(SHA256.HashData(_filling.AsSpan(0, length))), StringComparison.Ordinal))
            {
                throw new TransferStoppedException(new AttachmentFailure(AttachmentFailureKind.FileChanged,
                    $"the file differs from the one whose upload was interrupted (part {number}): the old upload was discarded; send it again"));
            }

            PartsSkipped++;
            _progress?.Report(new TransferProgress(TransferPhase.Uploading, Interlocked.Add(ref _done, length), _status.Length, _resumed));
            return;
        }

        await _inFlight.ConfigureAwait(false);
        (_filling, _spare) = (_spare, _filling);
        _inFlight = SendAsync(number, _spare, length, cancellationToken);
    }

    private async Task SendAsync(int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var content = buffer.AsMemory(0, length);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        for (var attempt = 0; ; attempt++)
        {
            var sent = await _send(number, content, cancellationToken).ConfigureAwait(false);
            if (sent.TryGetValue(out _, out var error))
            {
                _onAcknowledged(number, hash);
                PartsSent++;
                _progress?.Report(new TransferProgress(TransferPhase.Uploading, Interlocked.Add(ref _done, length), _status.Length, _resumed));
                return;
            }

            if (!error.IsTransient || attempt >= s_retryDelays.Length)
            {
                throw new TransferStoppedException(new AttachmentFailure(
                    error.IsTransient ? AttachmentFailureKind.Unreachable : AttachmentFailureKind.Refused,
                    error.IsTransient
                        ? $"part {number} could not be sent after {attempt + 1} attempts ({error}); run the same command again to resume"
                        : $"the server refused part {number}: {error}",
                    error));
            }

            await Task.Delay(s_retryDelays[attempt], _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private long PartLength(int number) => Math.Min(_status.PartSize, _status.Length - ((number - 1) * (long)_status.PartSize));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _inFlight.Wait(); // a part still in flight owns a buffer
            }
            catch (AggregateException)
            {
            }

            ArrayPool<byte>.Shared.Return(_filling);
            ArrayPool<byte>.Shared.Return(_spare);
        }

        base.Dispose(disposing);
    }
}
