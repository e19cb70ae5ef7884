using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Reviews.Events;

namespace SecureDialogue.Messaging.Trust;

/// <summary>
/// The secretariat assigned to a review registers a State's focal point with the nomination reference (note verbale).
/// A previous focal point of the State is replaced: its nomination ends and it leaves the review. Its certificates stay
/// in the review's statements; clients keep honouring them until the new focal point revokes them (docs/protocol.md,
/// "Certification rules"). Registering the same person with the same reference again changes nothing.
/// </summary>
internal sealed partial class SetFocalPointCommand(
    MessagingDbContext db, ReviewAccess access, HomeIssuer issuer, IReviewEventLog events, Dialogue.DialogueNotifier notifier, TimeProvider time,
    ILogger<SetFocalPointCommand> logger)
{
    public async Task<Outcome<FocalPointEntry>> ExecuteAsync(Caller caller, Guid reviewId, SetFocalPoint? request, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (member.Role != MemberRole.Secretariat)
        {
            return ApiErrors.Forbidden("Only secretariat staff assigned to the review register focal points.");
        }

        var states = await db.ReviewStates.Where(s => s.ReviewId == reviewId).Select(s => s.StateCode).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (TrustValidator.ValidateFocalPoint(request, states) is { } errors)
        {
            return ApiErrors.Invalid(errors);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await StoreAsync(caller, reviewId, request!, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // A concurrent change (account creation or an event position): read again and retry.
                db.ChangeTracker.Clear();
                events.Reset();
            }
        }
    }

    private async Task<Outcome<FocalPointEntry>> StoreAsync(Caller caller, Guid reviewId, SetFocalPoint request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ReviewEvent Event(string kind, Guid subject, string detail) =>
            new(reviewId, kind, caller.AccountId, now) { StateCode = request.StateCode, SubjectAccount = subject, Detail = detail };
        var subject = request.Subject;
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Issuer == issuer.Name && a.Subject == subject, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            account = new AccountEntity { Id = Guid.NewGuid(), Issuer = issuer.Name, Subject = subject, DisplayName = request.DisplayName.Trim(), CreatedAt = now };
            db.Accounts.Add(account);
        }

        var existing = await db.ReviewMembers.SingleOrDefaultAsync(m => m.ReviewId == reviewId && m.AccountId == account.Id, cancellationToken).ConfigureAwait(false);
        if (existing is not null && (existing.Role == MemberRole.Secretariat || existing.StateCode != request.StateCode))
        {
            return ApiErrors.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["subject"] = ["This person takes part in the review for another State or as secretariat staff."],
            });
        }

        var current = await db.FocalPoints
            .Where(f => f.ReviewId == reviewId && f.StateCode == request.StateCode && f.EndedAt == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (current.Count == 1 && current[0].AccountId == account.Id && current[0].Nomination == request.Nomination)
        {
            return Entry(current[0], account.DisplayName);
        }

        // Everything below, with the registration's archive entry (docs/protocol.md 16.2.1), commits together.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = transaction.ConfigureAwait(false);
        var replacedAccounts = new List<Guid>();
        foreach (var previous in current)
        {
            previous.EndedAt = now;
            if (previous.AccountId != account.Id)
            {
                replacedAccounts.Add(previous.AccountId);
                await events.AppendAsync(db, Event(ReviewEventKinds.FocalPointReplaced, previous.AccountId, previous.Nomination), cancellationToken).ConfigureAwait(false);
            }
        }

        // The previous focal point leaves the review (whether nominated here or listed when the review was created).
        var replaced = await db.ReviewMembers
            .Where(m => m.ReviewId == reviewId && m.StateCode == request.StateCode && m.Role == MemberRole.FocalPoint && m.AccountId != account.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in replaced)
        {
            db.ReviewMembers.Remove(row);
            if (!current.Any(c => c.AccountId == row.AccountId))
            {
                replacedAccounts.Add(row.AccountId);
                await events.AppendAsync(db, Event(ReviewEventKinds.FocalPointReplaced, row.AccountId, "listed at creation"), cancellationToken).ConfigureAwait(false);
            }

            await events.AppendAsync(db, Event(ReviewEventKinds.MemberRemoved, row.AccountId, "focal point replaced"), cancellationToken).ConfigureAwait(false);
        }

        if (existing is null)
        {
            db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = account.Id, StateCode = request.StateCode, Role = MemberRole.FocalPoint });
        }
        else
        {
            existing.Role = MemberRole.FocalPoint;
        }

        var nomination = new FocalPointEntity
        {
            Id = Guid.NewGuid(),
            ReviewId = reviewId,
            StateCode = request.StateCode,
            AccountId = account.Id,
            Nomination = request.Nomination,
            RegisteredBy = caller.AccountId,
            RegisteredAt = now,
        };
        db.FocalPoints.Add(nomination);

        await events.AppendAsync(db, Event(ReviewEventKinds.FocalPointRegistered, account.Id, request.Nomination) with
        {
            ArchiveKind = ArchiveEntryKind.MembershipChange,
            ArchivePayload = MembershipPayload.FocalPointRegistered(reviewId, caller.AccountId, request.StateCode, account.Id, request.Nomination, replacedAccounts),
        }, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        db.ChangeTracker.Clear();
        Log.Registered(logger, reviewId, request.StateCode, current.Count);
        await notifier.TrustChangedAsync(reviewId, TrustNoticeKinds.FocalPoint).ConfigureAwait(false);
        return Entry(nomination, account.DisplayName);
    }

    internal static FocalPointEntry Entry(FocalPointEntity f, string displayName) =>
        new(f.StateCode, f.AccountId, displayName, f.Nomination, f.RegisteredBy, f.RegisteredAt, f.EndedAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Focal point registered in review {ReviewId} for {StateCode}, {Replaced} nomination(s) ended")]
        public static partial void Registered(ILogger logger, Guid reviewId, string stateCode, int replaced);
    }
}
