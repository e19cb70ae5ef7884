using SecureDialogue.Client.Api;
using SecureDialogue.Client.Attachments;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    private const int CompleteAttempts = 4;

    /// <summary>
    /// Encrypts a file on this device (docs/protocol.md 15), uploads the ciphertext in parts and sends a
    /// <see cref="ItemKind.Document"/> item whose file-reference segment carries the manifest (file key, name, type,
    /// length, hashes). Memory stays bounded (two parts and the encryptor's chunks) whatever the file size.
    /// Interrupted (no answer, cancelled, process killed): the next call for the same unchanged file resumes from the
    /// parts the server acknowledged, re-encrypting them identically from the resume key saved (sealed to this device)
    /// in the profile instead of sending them again.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="description">Its name and media type as the readers will see them.</param>
    /// <param name="language">The item's language. <value>Default: the review's first working language.</value></param>
    /// <param name="progress">Upload progress (ciphertext bytes acknowledged).</param>
    /// <param name="cancellationToken">Stops the upload; it resumes on the next call.</param>
    public async Task<Result<SentAttachment, AttachmentFailure>> SendFileAsync(
        string path, AttachmentDescription description, LanguageTag? language = null, IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(description);
        if (!ChannelRules.MayPost(_review, _me, ChannelId))
        {
            return new AttachmentFailure(AttachmentFailureKind.NotAllowed, $"you may not post in '{Channel}'");
        }

        if (_keyring.Current is null)
        {
            return new AttachmentFailure(AttachmentFailureKind.NoKey, $"this device holds no key for the current epoch of '{Channel}'");
        }

        var fullPath = Path.GetFullPath(path);
        FileStream file;
        try
        {
            file = new FileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot read {fullPath}: {e.Message}");
        }

        await using (file.ConfigureAwait(false))
        {
            var length = file.Length;
            var modified = File.GetLastWriteTimeUtc(fullPath);
            if (length > AttachmentFormat.MaxPlaintextLength)
            {
                return new AttachmentFailure(AttachmentFailureKind.TooLarge, "the file is larger than the attachment format's 1 TiB");
            }

            var cipherLength = AttachmentFormat.CiphertextLength(length);
            var identity = UploadResumeStore.Identity(fullPath, length, modified, description.FileName, description.MediaType);
            var resume = new UploadResumeStore(_core.Layout, ReviewId, Channel);
            var prepared = await PrepareUploadAsync(resume, fullPath, identity, cipherLength, cancellationToken).ConfigureAwait(false);
            if (!prepared.TryGetValue(out var upload, out var failure))
            {
                return failure;
            }

            using var key = upload.Key;
            return await UploadAndSendAsync(file, fullPath, modified, description, language, resume, upload, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Downloads the attachment of the verified item at <paramref name="sequence"/> to <paramref name="outPath"/> (a file,
    /// or a directory to put the sender's file name in). The ciphertext is checked against the manifest (length,
    /// every chunk, the final tag, plaintext and ciphertext hashes) while it is decrypted into a temporary file, which
    /// is renamed to the destination only when everything verified; the received ciphertext is kept beside the
    /// destination until then, so an interrupted download resumes with a range request. Nothing partial or
    /// unverified ever appears at the destination.
    /// </summary>
    public async Task<Result<DownloadedAttachment, AttachmentFailure>> DownloadFileAsync(
        long sequence, string outPath, bool overwrite = false, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentException.ThrowIfNullOrEmpty(outPath);
        var read = await ReadAsync(sequence - 1, cancellationToken).ConfigureAwait(false);
        if (!read.TryGetValue(out var items, out var apiError))
        {
            return ApiFailure(apiError, $"read item {sequence}");
        }

        var item = items.FirstOrDefault(i => i.Sequence == sequence);
        if (item is not { HasContent: true, Segments: { } segments })
        {
            return new AttachmentFailure(AttachmentFailureKind.NoAttachment, item is null
                ? $"'{Channel}' has no item {sequence}"
                : $"item {sequence} of '{Channel}' is not a verified item ({item.Status}): nothing to download");
        }

        var reference = segments.FirstOrDefault(s => s.Kind == SegmentKind.FileReference);
        if (reference is null)
        {
            return new AttachmentFailure(AttachmentFailureKind.NoAttachment, $"item {sequence} of '{Channel}' carries no attachment");
        }

        var decoded = AttachmentManifest.FromSegment(reference);
        if (!decoded.TryGetValue(out var manifest, out var manifestError))
        {
            return new AttachmentFailure(AttachmentFailureKind.NoAttachment, $"the attachment reference of item {sequence} cannot be read ({manifestError})");
        }

        using (manifest)
        {
            return await AttachmentDownload.RunAsync(_core, ReviewId, Channel, manifest, outPath, overwrite, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static AttachmentFailure ApiFailure(ApiError error, string what) => error.IsTransient
        ? new AttachmentFailure(AttachmentFailureKind.Unreachable, $"could not {what}: {error}", error)
        : new AttachmentFailure(AttachmentFailureKind.Refused, $"the server refused to {what}: {error}", error);

    private sealed record PreparedUpload(AttachmentResumeKey Key, UploadResumeDocument Document, UploadStatus? Status, bool Resumed);

    // Resumes the saved upload of this file when it is the same file and the server still holds the upload; else begins anew.
    private async Task<Result<PreparedUpload, AttachmentFailure>> PrepareUploadAsync(
        UploadResumeStore resume, string fullPath, string identity, long cipherLength, CancellationToken cancellationToken)
    {
        if (resume.Load(fullPath) is { Version: 1 } saved)
        {
            var key = saved.FileIdentity == identity && saved.CiphertextLength == cipherLength
                ? AttachmentResumeKey.TryOpen(saved.SealedKey, _core.Device)
                : null;
            if (key is not null && saved.BlobId is not null)
            {
                return new PreparedUpload(key, saved, null, Resumed: true);
            }

            if (key is not null)
            {
                var status = await _core.Api.GetUploadAsync(ReviewId, Channel, saved.UploadId, cancellationToken).ConfigureAwait(false);
                if (status.TryGetValue(out var current, out var statusError) && current.Length == cipherLength)
                {
                    return new PreparedUpload(key, saved, current, Resumed: true);
                }

                key.Dispose();
                if (!status.IsSuccess && statusError.IsTransient)
                {
                    return ApiFailure(statusError, "look up the interrupted upload");
                }
            }
            else if (saved.BlobId is null && saved.UploadId.Length > 0)
            {
                // Another file now, or a key this device cannot open: the old upload is of no use.
                _ = await _core.Api.AbortUploadAsync(ReviewId, Channel, saved.UploadId, cancellationToken).ConfigureAwait(false);
            }

            // Expired or discarded on the server: start again with a fresh key (never reuse a key across uploads).
            resume.Delete(fullPath);
        }

        var begun = await _core.Api.BeginUploadAsync(ReviewId, Channel, cipherLength, cancellationToken).ConfigureAwait(false);
        if (!begun.TryGetValue(out var upload, out var error))
        {
            return error.Is(ProblemTypes.TooLarge)
                ? new AttachmentFailure(AttachmentFailureKind.TooLarge, error.Detail ?? "the file is larger than the server accepts", error)
                : ApiFailure(error, "begin the upload");
        }

        var fresh = AttachmentResumeKey.Create();
        var document = new UploadResumeDocument
        {
            UploadId = upload.UploadId,
            FileIdentity = identity,
            CiphertextLength = cipherLength,
            SealedKey = fresh.SealTo(_core.Device.PublicKeys),
        };
        try
        {
            resume.Save(fullPath, document);
        }
        catch (IOException e)
        {
            fresh.Dispose();
            return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot save the upload's resume state in the profile: {e.Message}");
        }

        return new PreparedUpload(fresh, document, upload, Resumed: false);
    }

    private async Task<Result<SentAttachment, AttachmentFailure>> UploadAndSendAsync(
        FileStream file, string fullPath, DateTime modified, AttachmentDescription description, LanguageTag? language, UploadResumeStore resume, PreparedUpload upload,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var document = upload.Document;
        var saveLock = new Lock();
        PartUploadStream? parts = null;
        if (upload.Status is { } status)
        {
            parts = new PartUploadStream(
                status, status.AcknowledgedParts, document.PartHashes,
                (number, content, ct) => _core.Api.PutUploadPartAsync(ReviewId, Channel, status.UploadId, number, content, ct),
                (number, hash) =>
                {
                    lock (saveLock)
                    {
                        document.PartHashes[number] = hash;
                        resume.Save(fullPath, document);
                    }
                },
                progress, _core.Time);
        }

        try
        {
            Stream destination = parts ?? Stream.Null;
            var encrypted = await AttachmentEncryptor.EncryptAsync(
                file, destination, description, upload.Key, null, AttachmentFormat.MaxPlaintextLength, cancellationToken).ConfigureAwait(false);
            if (!encrypted.TryGetValue(out var manifest, out var encryptError))
            {
                return new AttachmentFailure(AttachmentFailureKind.Io, $"the file could not be encrypted ({encryptError})");
            }

            using (manifest)
            {
                if (parts is not null)
                {
                    await parts.FinishAsync(cancellationToken).ConfigureAwait(false);
                }

                if (manifest.CiphertextLength != document.CiphertextLength || File.GetLastWriteTimeUtc(fullPath) != modified)
                {
                    throw new TransferStoppedException(new AttachmentFailure(AttachmentFailureKind.FileChanged, "the file changed while it was read"));
                }

                if (document.BlobId is null)
                {
                    var committed = await CompleteAsync(document.UploadId, manifest, cancellationToken).ConfigureAwait(false);
                    if (!committed.TryGetValue(out var blob, out var completeFailure))
                    {
                        if (completeFailure.Kind == AttachmentFailureKind.FileChanged)
                        {
                            resume.Delete(fullPath);
                        }

                        return completeFailure;
                    }

                    document.BlobId = blob.BlobId;
                    resume.Save(fullPath, document);
                }
                else if (!string.Equals(document.BlobId, manifest.BlobId, StringComparison.Ordinal))
                {
                    resume.Delete(fullPath);
                    return new AttachmentFailure(AttachmentFailureKind.FileChanged, "the file differs from the one uploaded before: send it again");
                }

                var sent = await SendAsync([manifest.ToSegment()], ItemKind.Document, language ?? DefaultLanguage(), cancellationToken).ConfigureAwait(false);
                if (!sent.TryGetValue(out var item, out var sendError))
                {
                    return new AttachmentFailure(AttachmentFailureKind.SendFailed,
                        $"the file is stored but its item was not sent ({sendError.Kind}); run the same command again to send it", sendError.Api, sendError);
                }

                resume.Delete(fullPath);
                return new SentAttachment(item, manifest.BlobId, manifest.PlaintextLength, manifest.CiphertextLength, upload.Resumed,
                    parts?.PartsSent ?? 0, parts?.PartsSkipped ?? 0);
            }
        }
        catch (TransferStoppedException e)
        {
            if (e.Failure.Kind == AttachmentFailureKind.FileChanged)
            {
                _ = await _core.Api.AbortUploadAsync(ReviewId, Channel, document.UploadId, CancellationToken.None).ConfigureAwait(false);
                resume.Delete(fullPath);
            }

            return e.Failure;
        }
        catch (IOException e)
        {
            return new AttachmentFailure(AttachmentFailureKind.Io, $"cannot read {fullPath}: {e.Message}");
        }
        finally
        {
            if (parts is not null)
            {
                await parts.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<Result<BlobEntry, AttachmentFailure>> CompleteAsync(string uploadId, AttachmentManifest manifest, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var completed = await _core.Api.CompleteUploadAsync(ReviewId, Channel, uploadId, manifest.CiphertextHash.ToArray(), cancellationToken).ConfigureAwait(false);
            if (completed.TryGetValue(out var blob, out var error))
            {
                return string.Equals(blob.BlobId, manifest.BlobId, StringComparison.Ordinal)
                    ? blob
                    : new AttachmentFailure(AttachmentFailureKind.Refused, "the server committed the upload under another id than its ciphertext hash");
            }

            if (error.Is(ProblemTypes.HashMismatch))
            {
                return new AttachmentFailure(AttachmentFailureKind.FileChanged,
                    "the server's copy does not match the file's ciphertext hash (the file changed during the upload): it was discarded; send it again", error);
            }

            if (!error.IsTransient || attempt == CompleteAttempts)
            {
                return ApiFailure(error, "complete the upload");
            }

            await Task.Delay(TimeSpan.FromSeconds(attempt), _core.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
