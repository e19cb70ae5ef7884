using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>
/// The secretariat sets a review up: its States, working languages and members (accounts pre-provisioned by subject
/// under the server's issuer), and its two channels. The creator becomes a secretariat member when not listed.
/// </summary>
internal sealed partial class CreateReviewCommand(
    MessagingDbContext db, HomeIssuer issuer, ReviewQueries queries, Archive.ArchiveWriter archive, TimeProvider time, ILogger<CreateReviewCommand> logger)
{
    public async Task<Outcome<ReviewDetail>> ExecuteAsync(Caller caller, CreateReview? request, CancellationToken cancellationToken)
    {
        if (!caller.IsSecretariat)
        {
            return ApiErrors.Forbidden("Only secretariat staff create reviews.");
        }

        if (CreateReviewValidator.Validate(request) is { } errors)
        {
            return ApiErrors.Invalid(errors);
        }

        var reviewId = Guid.NewGuid();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await StoreAsync(caller, reviewId, request!, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // A member's account was created concurrently (first sign-in or another review): read it and retry.
                db.ChangeTracker.Clear();
            }
        }

        Log.Created(logger, reviewId, caller.AccountId, request!.Members.Count, request.ReviewingStates.Count);
        var detail = await queries.DetailAsync(reviewId, cancellationToken).ConfigureAwait(false);
        return detail!;
    }

    private async Task StoreAsync(Caller caller, Guid reviewId, CreateReview request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var home = issuer.Name;
        var subjects = request.Members.Select(m => m.Subject).ToArray();
        var existing = await db.Accounts
            .Where(a => a.Issuer == home && subjects.Contains(a.Subject))
            .ToDictionaryAsync(a => a.Subject, a => a.Id, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);

        db.Reviews.Add(new ReviewEntity
        {
            Id = reviewId,
            Title = request.Title.Trim(),
            Languages = string.Join(',', request.Languages),
            CreatedBy = caller.AccountId,
            CreatedAt = now,
            StartDate = DateOnly.FromDateTime(now.UtcDateTime),
            StageEnteredOn = DateOnly.FromDateTime(now.UtcDateTime),
        });
        db.ReviewStates.Add(new ReviewStateEntity { ReviewId = reviewId, StateCode = request.ReviewedState, Role = StateRole.UnderReview });
        db.ReviewStates.AddRange(request.ReviewingStates.Select(s => new ReviewStateEntity { ReviewId = reviewId, StateCode = s, Role = StateRole.Reviewing }));

        var memberAccounts = new HashSet<Guid>();
        var listed = new List<(Guid Account, string? State, MemberRole Role)>();
        foreach (var member in request.Members)
        {
            if (!existing.TryGetValue(member.Subject, out var accountId))
            {
                accountId = Guid.NewGuid();
                db.Accounts.Add(new AccountEntity
                {
                    Id = accountId,
                    Issuer = home,
                    Subject = member.Subject,
                    DisplayName = member.DisplayName.Trim(),
                    IsSecretariat = false,
                    CreatedAt = now,
                });
            }

            memberAccounts.Add(accountId);
            listed.Add((accountId, member.StateCode, member.Role));
            db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = accountId, StateCode = member.StateCode, Role = member.Role });
        }

        if (memberAccounts.Add(caller.AccountId))
        {
            listed.Add((caller.AccountId, null, MemberRole.Secretariat));
            db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = caller.AccountId, StateCode = null, Role = MemberRole.Secretariat });
        }

        db.Channels.AddRange(ChannelRules.All.Select(c => new ChannelEntity { ReviewId = reviewId, Name = c, LastSequence = 0, CurrentEpoch = null }));

        // The review, its log and the log's first entry (the membership as created) commit together.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await Archive.ArchiveWriter.CreateLogAsync(db, reviewId, cancellationToken).ConfigureAwait(false);
                var payload = Archive.MembershipPayload.ReviewCreated(
                    reviewId, caller.AccountId, request.Title.Trim(), request.ReviewedState, request.ReviewingStates, request.Languages, listed);
                await archive.AppendAsync(db, reviewId, [Archive.ArchiveRecord.Stored(Vault.Archive.ArchiveEntryKind.MembershipChange, payload, now)], cancellationToken)
                    .ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 401, Level = LogLevel.Information,
            Message = "Review {ReviewId} created by account {AccountId} with {Members} listed members and {ReviewingStates} reviewing States")]
        public static partial void Created(ILogger logger, Guid reviewId, Guid accountId, int members, int reviewingStates);
    }
}
