using SecureDialogue.Client.Api;
using SecureDialogue.Client.Channels;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Client.Attachments;

/// <summary>
/// One download (see <see cref="ChannelSession.DownloadFileAsync"/>), in one pass: the ciphertext is decrypted and
/// verified by <see cref="AttachmentDecryptor.DecryptToFileAsync"/> while it arrives, and every received byte is also
/// appended to <c>.&lt;name&gt;.&lt;blob id prefix&gt;.sdlg-download</c> beside the destination (0600), so an interrupted
/// download resumes with a range request: the next attempt decrypts the saved prefix from disk, then the rest from the
/// network. The decryptor renames its temporary plaintext file to the destination only when every check passed.
/// </summary>
internal static class AttachmentDownload
{
    private static readonly TimeSpan[] s_retryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];

    /// <summary>Suffix of the ciphertext file an interrupted download leaves beside the destination.</summary>
    public const string PartialSuffix = ".sdlg-download";

    public static async Task<Result<DownloadedAttachment, AttachmentFailure>> RunAsync(
        ClientCore core, Guid reviewId, string channel, AttachmentManifest manifest, string outPath, bool overwrite,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(outPath);
        if (Directory.Exists(destination))
        {
            destination = Path.Combine(destination, manifest.FileName);
        }

        if (!overwrite && File.Exists(destination))
        {
            return new AttachmentFailure(AttachmentFailureKind.DestinationExists, $"{destination} exists (use --force to replace it)");
        }

        var directory = Path.GetDirectoryName(destination)!;
        if (!Directory.Exists(directory))
        {
            return new AttachmentFailure(AttachmentFailureKind.Io, $"the directory {directory} does not exist");
        }

        var partial = Path.Combine(directory, $".{Path.GetFileName(destination)}.{manifest.BlobId[..16]}{PartialSuffix}");
        for (var attempt = 0; ; attempt++)
        {
            Result<long, AttachmentFailure> outcome;
            try
            {
                outcome = await AttemptAsync(core, reviewId, channel, manifest, partial, destination, overwrite, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (NetworkInterruptedException e)
            {
                // The connection broke: what arrived is saved in the partial file; the next attempt continues from it.
                if (attempt >= s_retryDelays.Length)
                {
                    return new AttachmentFailure(AttachmentFailureKind.Unreachable,
                        $"the download broke off several times ({e.Message}); run the same command again to resume");
                }

                await Task.Delay(s_retryDelays[attempt], core.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (IOException e)
            {
                return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot write {destination}: {e.Message}");
            }

            if (outcome.TryGetValue(out var resumed, out var failure))
            {
                File.Delete(partial);
                return new DownloadedAttachment(destination, manifest.FileName, manifest.MediaType, manifest.PlaintextLength, manifest.CiphertextLength, resumed);
            }

            if (failure.Kind == AttachmentFailureKind.Invalid)
            {
                // The received bytes are not the sender's file: keep nothing of them, so the next attempt starts afresh.
                File.Delete(partial);
            }

            if (failure.Kind != AttachmentFailureKind.Unreachable || attempt >= s_retryDelays.Length)
            {
                return failure;
            }

            await Task.Delay(s_retryDelays[attempt], core.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt: the saved prefix from disk, the rest from the network (saved on the way), decrypted and verified.
    private static async Task<Result<long, AttachmentFailure>> AttemptAsync(
        ClientCore core, Guid reviewId, string channel, AttachmentManifest manifest, string partial, string destination, bool overwrite,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var total = manifest.CiphertextLength;
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(partial, options);
        await using (file.ConfigureAwait(false))
        {
            if (file.Length > total)
            {
                file.SetLength(0);
            }

            var saved = file.Length;
            BlobResponse? blob = null;
            try
            {
                if (saved < total)
                {
                    var answer = await core.Api.GetBlobAsync(reviewId, channel, manifest.BlobId, saved, cancellationToken).ConfigureAwait(false);
                    if (!answer.TryGetValue(out blob, out var error))
                    {
                        return ChannelSession.ApiFailure(error, "download the attachment");
                    }

                    if (blob.TotalLength != total)
                    {
                        return new AttachmentFailure(AttachmentFailureKind.Invalid,
                            $"the server serves {blob.TotalLength} bytes where the sender's signed manifest says {total}: not the sender's file; nothing was written");
                    }

                    if (blob.Offset != saved)
                    {
                        // A server that ignored the range answers from 0: start over from there.
                        file.SetLength(0);
                        saved = 0;
                        if (blob.Offset != 0)
                        {
                            return new AttachmentFailure(AttachmentFailureKind.Invalid, "the server answered another range than asked: nothing was written");
                        }
                    }
                }

                var source = new ResumingCiphertextStream(file, saved, blob?.Content, total, progress);
                var verdict = await AttachmentDecryptor.DecryptToFileAsync(manifest, source, destination, overwrite, null, cancellationToken).ConfigureAwait(false);
                return verdict switch
                {
                    AttachmentError.None => saved,
                    AttachmentError.DestinationExists => new AttachmentFailure(AttachmentFailureKind.DestinationExists, $"{destination} exists (use --force to replace it)"),
                    _ => new AttachmentFailure(AttachmentFailureKind.Invalid,
                        "the downloaded file does not verify against the sender's signed manifest (altered, cut, swapped or replaced by the server or the storage): nothing was written"),
                };
            }
            finally
            {
                if (blob is not null)
                {
                    await blob.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A broken connection while receiving (as opposed to a local I/O error).</summary>
    private sealed class NetworkInterruptedException(string message, Exception inner) : IOException(message, inner);

    /// <summary>
    /// The ciphertext as the decryptor reads it: first the <c>saved</c> bytes of the partial file, then the network body,
    /// each chunk of which is appended to the partial file before it is handed on. Reports progress in ciphertext bytes.
    /// </summary>
    private sealed class ResumingCiphertextStream(FileStream file, long saved, Stream? network, long total, IProgress<TransferProgress>? progress) : Stream
    {
        private long _position;
        private long _reported;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => total;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == 0)
            {
                file.Position = 0;
            }

            int read;
            if (_position < saved)
            {
                read = await file.ReadAsync(buffer[..(int)Math.Min(buffer.Length, saved - _position)], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The partial download file shrank while it was read.");
                }
            }
            else if (network is null || _position >= total)
            {
                return 0;
            }
            else
            {
                try
                {
                    read = await network.ReadAsync(buffer[..(int)Math.Min(buffer.Length, total - _position)], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw new NetworkInterruptedException(e.Message, e);
                }

                if (read == 0)
                {
                    throw new NetworkInterruptedException("the server closed the connection early", new EndOfStreamException());
                }

                await file.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
            }

            _position += read;
            if (progress is not null && (_position - _reported >= 256 * 1024 || _position == total))
            {
                _reported = _position;
                progress.Report(new TransferProgress(TransferPhase.Downloading, _position, total, saved));
            }

            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
