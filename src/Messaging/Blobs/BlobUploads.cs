using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Attachment uploads into a channel: begin, put parts, status (to resume), complete, abort. Only members who may
/// post in the channel upload, and an upload is visible to the account that began it only (anyone else: not found).
/// A blob committed by <see cref="CompleteAsync"/> is recorded for the channel, so its readers may download it.
/// </summary>
internal sealed class BlobUploads(
    MessagingDbContext db, ReviewAccess access, IBlobStore store, Archive.ArchiveWriter archive, IOptions<BlobStorageOptions> options, TimeProvider time)
{
    public async Task<Outcome<UploadStatus>> BeginAsync(Caller caller, Guid reviewId, string channel, BeginUpload? request, CancellationToken cancellationToken)
    {
        var allowed = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Post, cancellationToken).ConfigureAwait(false);
        if (!allowed.TryGet(out _, out var error))
        {
            return error;
        }

        if (request is null || request.Length <= 0)
        {
            return ApiErrors.BadRequest("The body must be {\"length\": N} with the ciphertext's exact length, N > 0.");
        }

        if (request.Length > store.MaxBlobSize)
        {
            return BlobApiErrors.TooLarge(request.Length, store.MaxBlobSize);
        }

        var begun = await store.BeginUploadAsync(request.Length, cancellationToken).ConfigureAwait(false);
        if (!begun.TryGetValue(out var upload, out var refused))
        {
            return BlobApiErrors.From(refused);
        }

        db.BlobUploads.Add(new BlobUploadEntity
        {
            UploadId = upload.Id.Value,
            ReviewId = reviewId,
            Channel = channel,
            AccountId = caller.AccountId,
            Length = upload.Length,
            CreatedAt = upload.CreatedAt,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Status(upload, []);
    }

    public async Task<Outcome<UploadStatus>> StatusAsync(Caller caller, Guid reviewId, string channel, string uploadId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.TryGet(out var row, out var error))
        {
            return error;
        }

        if (!BlobUploadId.TryParse(row.UploadId, out var id) ||
            !(await store.GetUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out _))
        {
            return BlobApiErrors.UploadNotFound; // completed (the store forgets it) or expired
        }

        var parts = await store.ListPartsAsync(id, cancellationToken).ConfigureAwait(false);
        return parts.TryGetValue(out var list, out var refused) ? Status(upload, [.. list.Select(p => p.Number)]) : BlobApiErrors.From(refused);
    }

    public async Task<Outcome<UploadedPart>> PutPartAsync(
        Caller caller, Guid reviewId, string channel, string uploadId, int partNumber, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.TryGet(out var row, out var error))
        {
            return error;
        }

        if (row.BlobId is not null || !BlobUploadId.TryParse(row.UploadId, out var id) ||
            !(await store.GetUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out _))
        {
            return BlobApiErrors.UploadNotFound;
        }

        if (partNumber < 1 || partNumber > upload.PartCount)
        {
            return BlobApiErrors.From(BlobError.InvalidPartNumber, upload);
        }

        if (contentLength is { } announced && announced != upload.PartLength(partNumber))
        {
            return BlobApiErrors.From(BlobError.PartLengthMismatch, upload);
        }

        var stored = await store.UploadPartAsync(id, partNumber, body, cancellationToken).ConfigureAwait(false);
        return stored.TryGetValue(out var part, out var refused) ? new UploadedPart(part.Number, part.Length) : BlobApiErrors.From(refused, upload);
    }

    public async Task<Outcome<BlobEntry>> CompleteAsync(
        Caller caller, Guid reviewId, string channel, string uploadId, CompleteUpload? request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.TryGet(out var row, out var error))
        {
            return error;
        }

        if (request?.CiphertextHash is not { Length: Vault.Attachments.AttachmentFormat.HashSize } hash)
        {
            return ApiErrors.BadRequest("The body must be {\"ciphertextHash\": base64 of the 32-byte ciphertext hash}.");
        }

        if (row.BlobId is not null)
        {
            // Completed before (a retry after a lost answer): the same answer, if it is the same hash.
            return string.Equals(row.BlobId, Convert.ToHexStringLower(hash), StringComparison.Ordinal)
                ? new BlobEntry(row.BlobId, row.Length)
                : BlobApiErrors.HashMismatch;
        }

        if (!BlobUploadId.TryParse(row.UploadId, out var id) ||
            !(await store.GetUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out _))
        {
            return BlobApiErrors.UploadNotFound;
        }

        var parts = await store.ListPartsAsync(id, cancellationToken).ConfigureAwait(false);
        if (parts.TryGetValue(out var acknowledged, out _) && acknowledged.Count != upload.PartCount)
        {
            return BlobApiErrors.IncompleteUpload(acknowledged.Count, upload.PartCount);
        }

        var completed = await store.CompleteUploadAsync(id, hash, cancellationToken).ConfigureAwait(false);
        if (!completed.TryGetValue(out var blob, out var refused))
        {
            if (refused == BlobError.HashMismatch)
            {
                db.BlobUploads.Remove(row);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            return BlobApiErrors.From(refused, upload);
        }

        row.BlobId = blob.Id.Value;
        var exists = await db.Blobs.AnyAsync(b => b.ReviewId == reviewId && b.Channel == channel && b.BlobId == blob.Id.Value, cancellationToken)
            .ConfigureAwait(false);
        if (exists)
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new BlobEntry(blob.Id.Value, blob.Length);
        }

        // The blob's record and its archive entry (the ciphertext's SHA-256 and length, digest form) commit together.
        var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        db.Blobs.Add(new BlobEntity
        {
            ReviewId = reviewId,
            Channel = channel,
            BlobId = blob.Id.Value,
            UploadedBy = caller.AccountId,
            Length = blob.Length,
            StoredAt = storedAt,
            Sha256 = blob.Sha256,
        });
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                if (blob.Sha256 is { } sha256)
                {
                    await archive.AppendAsync(
                        db, reviewId, [Archive.ArchiveRecord.AttachmentCiphertext(sha256, blob.Length, storedAt, channel)], cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
            {
                // The same bytes committed into this channel concurrently: the blob is recorded (and archived) by the
                // other completion; keep this one's completion.
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                foreach (var added in db.ChangeTracker.Entries<BlobEntity>().ToList())
                {
                    added.State = EntityState.Detached;
                }

                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new BlobEntry(blob.Id.Value, blob.Length);
    }

    public async Task<Outcome<string>> AbortAsync(Caller caller, Guid reviewId, string channel, string uploadId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.TryGet(out var row, out var error))
        {
            return error;
        }

        if (row.BlobId is null && BlobUploadId.TryParse(row.UploadId, out var id))
        {
            _ = await store.AbortUploadAsync(id, cancellationToken).ConfigureAwait(false);
        }

        db.BlobUploads.Remove(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row.UploadId;
    }

    /// <summary>The caller's own upload in this channel; anyone else's, a malformed id or an expired one: not found.</summary>
    private async Task<Outcome<BlobUploadEntity>> FindAsync(Caller caller, Guid reviewId, string channel, string uploadId, CancellationToken cancellationToken)
    {
        var allowed = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Post, cancellationToken).ConfigureAwait(false);
        if (!allowed.TryGet(out _, out var error))
        {
            return error;
        }

        if (!BlobUploadId.TryParse(uploadId, out _))
        {
            return BlobApiErrors.UploadNotFound;
        }

        var row = await db.BlobUploads.AsTracking().FirstOrDefaultAsync(u => u.UploadId == uploadId, cancellationToken).ConfigureAwait(false);
        return row is not null && row.ReviewId == reviewId && row.Channel == channel && row.AccountId == caller.AccountId
            ? row
            : BlobApiErrors.UploadNotFound;
    }

    private UploadStatus Status(BlobUpload upload, IReadOnlyList<int> acknowledged) => new(
        upload.Id.Value, upload.Length, upload.PartSize, upload.PartCount, acknowledged,
        upload.CreatedAt + options.Value.AbandonedUploadAge, store.MaxBlobSize);
}
