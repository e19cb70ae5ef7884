using System.Buffers;
using SecureDialogue.Client.Channels;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Client.Attachments;

/// <summary>
/// One download (see <see cref="ChannelSession.DownloadFileAsync"/>): the ciphertext into
/// <c>.&lt;name&gt;.&lt;blob id prefix&gt;.sdlg-download</c> beside the destination (0600; resumed from its length with a
/// range request), then verification and decryption by <see cref="AttachmentDecryptor.DecryptToFileAsync"/>, which renames
/// its own temporary file to the destination only when every check passed.
/// </summary>
internal static class AttachmentDownload
{
    private const int CopyBufferSize = 128 * 1024;
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
        long resumed;
        try
        {
            var fetched = await FetchAsync(core, reviewId, channel, manifest, partial, progress, cancellationToken).ConfigureAwait(false);
            if (!fetched.TryGetValue(out resumed, out var failure))
            {
                if (failure.Kind == AttachmentFailureKind.Invalid)
                {
                    File.Delete(partial);
                }

                return failure;
            }
        }
        catch (IOException e)
        {
            return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot write {partial}: {e.Message}");
        }

        AttachmentError verdict;
        try
        {
            var ciphertext = new FileStream(partial, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            await using (ciphertext.ConfigureAwait(false))
            {
                var plain = manifest.PlaintextLength;
                var verifying = progress is null ? null : new Progress(progress, plain);
                verdict = await AttachmentDecryptor.DecryptToFileAsync(manifest, ciphertext, destination, overwrite, verifying, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot write {destination}: {e.Message}");
        }

        switch (verdict)
        {
            case AttachmentError.None:
                File.Delete(partial);
                return new DownloadedAttachment(destination, manifest.FileName, manifest.MediaType, manifest.PlaintextLength, manifest.CiphertextLength, resumed);
            case AttachmentError.DestinationExists:
                return new AttachmentFailure(AttachmentFailureKind.DestinationExists, $"{destination} exists (use --force to replace it)");
            default:
                // The received bytes are not the sender's file: keep nothing of them, so the next attempt starts afresh.
                File.Delete(partial);
                return new AttachmentFailure(AttachmentFailureKind.Invalid,
                    "the downloaded file does not verify against the sender's signed manifest (altered, cut, swapped or replaced by the server or the storage): nothing was written");
        }
    }

    // Appends the missing ciphertext to the partial file. Returns how many bytes were there before.
    private static async Task<Result<long, AttachmentFailure>> FetchAsync(
        ClientCore core, Guid reviewId, string channel, AttachmentManifest manifest, string partial, IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
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

            var resumed = file.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                var attempt = 0;
                while (file.Length < total)
                {
                    file.Position = file.Length;
                    var before = file.Length;
                    var answer = await core.Api.GetBlobAsync(reviewId, channel, manifest.BlobId, file.Length, cancellationToken).ConfigureAwait(false);
                    if (!answer.TryGetValue(out var blob, out var error))
                    {
                        if (!error.IsTransient || attempt >= s_retryDelays.Length)
                        {
                            return ChannelSession.ApiFailure(error, "download the attachment");
                        }

                        await Task.Delay(s_retryDelays[attempt++], core.Time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    await using (blob.ConfigureAwait(false))
                    {
                        if (blob.TotalLength != total)
                        {
                            file.SetLength(0);
                            return new AttachmentFailure(AttachmentFailureKind.Invalid,
                                $"the server serves {blob.TotalLength} bytes where the sender's signed manifest says {total}: not the sender's file");
                        }

                        if (blob.Offset != file.Length)
                        {
                            file.SetLength(blob.Offset); // a server that ignored the range: start where it starts
                            file.Position = blob.Offset;
                        }

                        try
                        {
                            int read;
                            while (file.Length < total &&
                                   (read = await blob.Content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, total - file.Length)), cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                                progress?.Report(new TransferProgress(TransferPhase.Downloading, file.Length, total, resumed));
                            }
                        }
                        catch (Exception e) when (e is IOException or System.Net.Http.HttpRequestException)
                        {
                            // The connection broke: what arrived stays; continue from there.
                        }
                    }

                    if (file.Length == before)
                    {
                        if (attempt >= s_retryDelays.Length)
                        {
                            return new AttachmentFailure(AttachmentFailureKind.Unreachable, "the download made no progress after several attempts; run the same command again to resume");
                        }

                        await Task.Delay(s_retryDelays[attempt++], core.Time, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        attempt = 0;
                    }
                }

                file.Flush(flushToDisk: true);
                return resumed;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private sealed class Progress(IProgress<TransferProgress> inner, long total) : IProgress<long>
    {
        public void Report(long value) => inner.Report(new TransferProgress(TransferPhase.Verifying, value, total, 0));
    }
}
