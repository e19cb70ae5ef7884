using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Archive.Bundles;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Seals reviews' archives and keeps the receipts (<c>sealed_bundles</c>). <see cref="SealAsync"/> is the hook for sealing
/// when a review is finalised (the stage model calls it; no access check); the endpoints call <see cref="SealForAsync"/>
/// (the review's assigned secretariat), <see cref="ListAsync"/> and <see cref="OpenAsync"/> (members and secretariat).
/// Scoped.
/// </summary>
internal sealed partial class ReviewSealing(MessagingDbContext db, ReviewAccess access, BundleSealer sealer, ISealedBundleStore store, ILogger<ReviewSealing> logger)
{
    /// <summary>Longest bundle name accepted in a route.</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// Seals <paramref name="reviewId"/>'s archive now and records the receipt; null for an unknown review.
    /// The hook for finalisation: call it when a review reaches its final stage.
    /// </summary>
    /// <exception cref="SealingException">The log's data is inconsistent; nothing was stored.</exception>
    /// <exception cref="SealedStoreException">The sealed store refused.</exception>
    public async Task<SealedBundleEntity?> SealAsync(Guid reviewId, BundleAttachmentMode mode = BundleAttachmentMode.Ciphertexts, Guid? sealedBy = null, CancellationToken cancellationToken = default)
    {
        var receipt = await sealer.SealAsync(reviewId, mode, cancellationToken).ConfigureAwait(false);
        if (receipt is null)
        {
            return null;
        }

        var row = new SealedBundleEntity
        {
            ReviewId = reviewId,
            Name = Path.GetFileName(receipt.Stored.Key),
            Backend = receipt.Stored.Backend,
            ObjectKey = receipt.Stored.Key,
            VersionId = receipt.Stored.VersionId,
            Sha256 = receipt.Stored.Sha256,
            Size = receipt.Stored.Size,
            RetainUntil = receipt.Stored.RetainUntil,
            TreeSize = receipt.TreeSize,
            Root = receipt.Root,
            SealDigest = receipt.SealDigest,
            Attachments = (short)mode,
            SealedBy = sealedBy,
            SealedAt = receipt.SealedAt,
        };
        db.SealedBundles.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>The secretariat's seal request.</summary>
    public async Task<Outcome<SealedBundleInfo>> SealForAsync(Caller caller, Guid reviewId, SealArchive? request, CancellationToken cancellationToken)
    {
        var outcome = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var membership, out var error))
        {
            return error;
        }

        if (membership.Role != MemberRole.Secretariat)
        {
            return ApiErrors.Forbidden("Only the review's assigned secretariat seals its archive.");
        }

        BundleAttachmentMode mode;
        switch (request?.Attachments)
        {
            case null or "ciphertexts":
                mode = BundleAttachmentMode.Ciphertexts;
                break;
            case "digests":
                mode = BundleAttachmentMode.DigestsOnly;
                break;
            default:
                return ApiErrors.BadRequest("'attachments' is 'ciphertexts' (default) or 'digests'.");
        }

        try
        {
            var row = await SealAsync(reviewId, mode, caller.AccountId, cancellationToken).ConfigureAwait(false);
            return row is null ? ApiErrors.NotFound("There is no such review.") : Info(row);
        }
        catch (Exception e) when (e is SealingException or SealedStoreException)
        {
            LogFailed(logger, reviewId, e.Message);
            return SealingFailed(e.Message);
        }
    }

    /// <summary>The review's receipts, oldest first.</summary>
    public async Task<Outcome<SealedBundleList>> ListAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var outcome = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out _, out var error))
        {
            return error;
        }

        var rows = await db.SealedBundles.AsNoTracking().Where(b => b.ReviewId == reviewId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new SealedBundleList([.. rows.OrderBy(r => r.SealedAt).ThenBy(r => r.Name, StringComparer.Ordinal).Select(Info)]);
    }

    /// <summary>Opens a sealed bundle of the review for download (the caller disposes the stream).</summary>
    public async Task<Outcome<(SealedBundleEntity Receipt, Stream Content)>> OpenAsync(Caller caller, Guid reviewId, string name, CancellationToken cancellationToken)
    {
        var outcome = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out _, out var error))
        {
            return error;
        }

        if (name.Length is 0 or > MaxNameLength)
        {
            return ApiErrors.NotFound("There is no such sealed bundle.");
        }

        var row = await db.SealedBundles.AsNoTracking().FirstOrDefaultAsync(b => b.ReviewId == reviewId && b.Name == name, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return ApiErrors.NotFound("There is no such sealed bundle.");
        }

        try
        {
            var content = await store.OpenReadAsync(Stored(row), cancellationToken).ConfigureAwait(false);
            return (row, content);
        }
        catch (SealedStoreException e)
        {
            LogFailed(logger, reviewId, e.Message);
            return SealingFailed($"The sealed bundle cannot be read: {e.Message}");
        }
    }

    private static SealedObject Stored(SealedBundleEntity row) => new(row.Backend, row.ObjectKey, row.VersionId, row.Sha256, row.Size, row.RetainUntil);

    private static SealedBundleInfo Info(SealedBundleEntity row) => new(
        row.Name, row.Backend, row.ObjectKey, row.VersionId, Convert.ToHexStringLower(row.Sha256), row.Size, row.RetainUntil,
        row.TreeSize, row.Root, row.SealDigest, row.Attachments == (short)BundleAttachmentMode.Ciphertexts ? "ciphertexts" : "digests", row.SealedAt);

    private static ApiError SealingFailed(string detail) =>
        new(ProblemTypes.SealingFailed, StatusCodes.Status503ServiceUnavailable, "The archive could not be sealed or read from the sealed store.", detail);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Sealing review {Review} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid review, string reason);
}
