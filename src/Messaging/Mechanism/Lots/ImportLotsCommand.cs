using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Registry;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Mechanism.Lots;

/// <summary>
/// The secretariat imports the results of a drawing of lots: the file is checked against the registry and the reviews
/// already set up (<see cref="LotsImport"/>); when it has no problem, every review it describes is created in one
/// transaction (stage not started, both channels, the importer assigned as secretariat staff). A file with any
/// problem creates nothing.
/// </summary>
internal sealed partial class ImportLotsCommand(MessagingDbContext db, StatesRegistry registry, TimeProvider time, ILogger<ImportLotsCommand> logger)
{
    public async Task<(IReadOnlyList<Guid> Created, IReadOnlyList<LotsProblem> Problems)> ExecuteAsync(Caller caller, ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var parties = await registry.LoadAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.ReviewStates.Where(s => s.Role == StateRole.Reviewing)
            .Join(db.ReviewStates.Where(s => s.Role == StateRole.UnderReview), r => r.ReviewId, u => u.ReviewId, (r, u) => new { Reviewed = u.StateCode, Reviewer = r.StateCode })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var underReview = await db.ReviewStates.Where(s => s.Role == StateRole.UnderReview).Select(s => s.StateCode).ToListAsync(cancellationToken).ConfigureAwait(false);
        var pairs = existing.Select(p => new ReviewPair(p.Reviewed, p.Reviewer)).ToList();

        // A State under review with no reviewer yet still counts as reviewed (the pair list alone would miss it).
        pairs.AddRange(underReview.Where(u => !pairs.Any(p => p.StateUnderReview == u)).Select(u => new ReviewPair(u, string.Empty)));
        var report = LotsImport.Check(file.Span, parties, pairs);
        if (!report.IsValid)
        {
            return ([], report.Problems);
        }

        var now = time.GetUtcNow();
        var created = new List<Guid>();
        foreach (var drawn in report.Reviews)
        {
            var reviewId = Guid.NewGuid();
            created.Add(reviewId);
            db.Reviews.Add(new ReviewEntity
            {
                Id = reviewId,
                Title = $"{parties[drawn.StateUnderReview].Name} ({drawn.StateUnderReview})",
                Languages = string.Join(',', drawn.WorkingLanguages),
                CreatedBy = caller.AccountId,
                CreatedAt = now,
                ReviewGroup = drawn.Group,
                Phase = 1,
                Stage = ReviewStage.NotStarted,
                StartDate = drawn.StartDate,
                StageEnteredOn = drawn.StartDate,
            });
            db.ReviewStates.Add(new ReviewStateEntity
            {
                ReviewId = reviewId, StateCode = drawn.StateUnderReview, Role = StateRole.UnderReview,
                Instruments = drawn.ReviewingStates.Aggregate(Instruments.None, (set, r) => set | r.Instruments),
            });
            db.ReviewStates.AddRange(drawn.ReviewingStates.Select(r => new ReviewStateEntity { ReviewId = reviewId, StateCode = r.State, Role = StateRole.Reviewing, Instruments = r.Instruments }));
            db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = caller.AccountId, StateCode = null, Role = MemberRole.Secretariat });
            db.Channels.AddRange(ChannelRules.All.Select(c => new ChannelEntity { ReviewId = reviewId, Name = c, LastSequence = 0, CurrentEpoch = null }));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        Log.Imported(logger, created.Count, caller.AccountId);
        return (created, []);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 731, Level = LogLevel.Information, Message = "Drawing of lots imported: {Reviews} reviews created by account {AccountId}")]
        public static partial void Imported(ILogger logger, int reviews, Guid accountId);
    }
}
