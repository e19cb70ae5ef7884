using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews.Events;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Mechanism.Stages;

/// <summary>
/// An assigned secretariat member moves a review one stage forward (<see cref="ReviewStages.IsNext"/>). The change is
/// recorded (who, when, from, to) in <c>review_stage_events</c> and as a review event with its archive entry (<see cref="IReviewEventLog"/>). The requested target
/// stage guards against a double submission: asking for a stage that is not the next one changes nothing.
/// </summary>
internal sealed partial class AdvanceStageCommand(
    MessagingDbContext db, SecretariatAccess access, IReviewEventLog log, Archive.Sealing.ReviewSealing sealing, TimeProvider time,
    ILogger<AdvanceStageCommand> logger)
{
    public async Task<Outcome<ReviewStage>> ExecuteAsync(Caller caller, Guid reviewId, string? to, CancellationToken cancellationToken)
    {
        var assigned = await access.AssignedAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (assigned is not null)
        {
            return assigned;
        }

        if (!ReviewStages.TryParse(to, out var target))
        {
            return ApiErrors.BadRequest("Send {\"to\":\"STAGE\"} with the code of the next stage (not-started, preliminary-consultation, self-assessment, written-feedback, constructive-dialogue, list-of-observations, summary, finalised).");
        }

        var review = await db.Reviews.AsTracking().SingleAsync(r => r.Id == reviewId, cancellationToken).ConfigureAwait(false);
        var from = review.Stage;
        if (!ReviewStages.IsNext(from, target))
        {
            db.ChangeTracker.Clear();
            return new ApiError(ProblemTypes.EpochConflict, StatusCodes.Status409Conflict, "The review is not in the stage before the one requested.",
                $"The review is at '{ReviewStages.Code(from)}'; only the next stage can follow.");
        }

        var now = time.GetUtcNow();
        var sequence = 1 + (await db.ReviewStageEvents.Where(e => e.ReviewId == reviewId).MaxAsync(e => (int?)e.Sequence, cancellationToken).ConfigureAwait(false) ?? 0);
        review.Stage = target;
        review.StageEnteredOn = DateOnly.FromDateTime(now.UtcDateTime);
        db.ReviewStageEvents.Add(new ReviewStageEventEntity
        {
            ReviewId = reviewId, Sequence = sequence, FromStage = from, ToStage = target, AccountId = caller.AccountId, OccurredAt = now,
        });
        // The stage change and its archive entry commit together, or neither does.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another member moved it at the same moment (same sequence): nothing of this request was stored.
                db.ChangeTracker.Clear();
                return new ApiError(ProblemTypes.EpochConflict, StatusCodes.Status409Conflict, "The review is not in the stage before the one requested.",
                    "The stage changed concurrently; reload and try again.");
            }

            await log.AppendAsync(db, new ReviewEvent(reviewId, ReviewEventKinds.StageChanged, caller.AccountId, now)
            {
                Detail = $"{ReviewStages.Code(from)} > {ReviewStages.Code(target)}",
                ArchiveKind = ArchiveEntryKind.StageChange,
                ArchivePayload = StageEventPayload.Encode(reviewId, from, target, caller.AccountId, now),
            }, cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
        Log.Advanced(logger, reviewId, from, target, caller.AccountId);
        if (target == ReviewStage.Finalised)
        {
            // A finalised review is sealed at once (issue 5). The stage change stands even if sealing fails: the
            // failure is logged and the secretariat can seal on request (POST .../archive/seal).
            try
            {
                await sealing.SealAsync(reviewId, Vault.Archive.Bundles.BundleAttachmentMode.Ciphertexts, caller.AccountId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SealOnFinalisationFailed(logger, reviewId, e.GetType().Name);
            }
        }

        return target;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "Review {ReviewId} moved from {From} to {To} by account {AccountId}")]
        public static partial void Advanced(ILogger logger, Guid reviewId, ReviewStage from, ReviewStage to, Guid accountId);

        [LoggerMessage(EventId = 712, Level = LogLevel.Error, Message = "Review {ReviewId} was finalised but sealing its archive failed ({ExceptionType}); seal it on request")]
        public static partial void SealOnFinalisationFailed(ILogger logger, Guid reviewId, string exceptionType);
    }
}
