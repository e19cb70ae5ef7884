using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Registry;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Mechanism.Demo;

/// <summary>
/// DEMO DATA for the embedded profile (<c>Server:DemoData</c>, on in <c>./run.sh</c>): a few States parties and reviews
/// in several stages, groups and states of lateness, so the secretariat's pages show something on a fresh clone.
/// <para>
/// It is NOT an authoritative record. The States' names and regional groups are facts; the instruments each is
/// recorded as party to are ILLUSTRATIVE (every demo State is recorded as party to all four instruments) and must not
/// be read as a statement about any State's ratifications. The reviews, people and dates are invented. The pages show
/// a "demo data" banner while it is in use. Real deployments import the registry from the secretariat's own list.
/// </para>
/// </summary>
internal sealed partial class DemoSeed(MessagingDbContext db, StatesRegistry registry, HomeIssuer issuer, TimeProvider time, ILogger<DemoSeed> logger)
{
    /// <summary>The development user name of the demo's secretariat member.</summary>
    public const string SecretariatUser = "secretariat";

    private const Instruments Illustrative = Instruments.Convention | Instruments.TraffickingInPersons | Instruments.SmugglingOfMigrants | Instruments.Firearms;

    private static readonly StateParty[] s_states =
    [
        new("NAM", "Namibia", RegionalGroup.African, Illustrative),
        new("GHA", "Ghana", RegionalGroup.African, Illustrative),
        new("KEN", "Kenya", RegionalGroup.African, Illustrative),
        new("FRA", "France", RegionalGroup.WesternEuropeanAndOthers, Illustrative),
        new("AUT", "Austria", RegionalGroup.WesternEuropeanAndOthers, Illustrative),
        new("CAN", "Canada", RegionalGroup.WesternEuropeanAndOthers, Illustrative),
        new("BRA", "Brazil", RegionalGroup.LatinAmericanAndCaribbean, Illustrative),
        new("MEX", "Mexico", RegionalGroup.LatinAmericanAndCaribbean, Illustrative),
        new("JPN", "Japan", RegionalGroup.AsiaPacific, Illustrative),
        new("IND", "India", RegionalGroup.AsiaPacific, Illustrative),
        new("POL", "Poland", RegionalGroup.EasternEuropean, Illustrative),
        new("CZE", "Czechia", RegionalGroup.EasternEuropean, Illustrative),
    ];

    // (State under review, reviewing States, group, stage, days since start, days in stage, languages, States whose focal point is missing)
    private static readonly DemoReview[] s_reviews =
    [
        new("NAM", ["GHA", "FRA"], 1, ReviewStage.ConstructiveDialogue, 420, 30, ["en"], []),
        new("KEN", ["GHA", "AUT"], 1, ReviewStage.NotStarted, 30, 30, ["en"], ["KEN"]),
        new("BRA", ["MEX", "JPN"], 2, ReviewStage.SelfAssessmentQuestionnaire, 260, 200, ["es", "en"], []),
        new("POL", ["CZE", "CAN"], 2, ReviewStage.NotStarted, 5, 5, ["en", "ru"], ["CAN"]),
        new("JPN", ["IND", "FRA"], 3, ReviewStage.PreliminaryConsultation, 60, 50, ["en", "fr"], []),
        new("FRA", ["AUT", "KEN"], 3, ReviewStage.Finalised, 900, 40, ["fr"], []),
    ];

    /// <summary>Seeds an empty database; does nothing when any State party or review exists.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.StatesParties.AnyAsync(cancellationToken).ConfigureAwait(false) || await db.Reviews.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await registry.UpsertAsync(s_states, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var home = issuer.Name;
        var accounts = new Dictionary<string, Guid>(StringComparer.Ordinal);
        Guid Account(string subject, string name, bool secretariat = false)
        {
            if (!accounts.TryGetValue(subject, out var id))
            {
                id = Guid.NewGuid();
                accounts[subject] = id;
                db.Accounts.Add(new AccountEntity { Id = id, Issuer = home, Subject = subject, DisplayName = name, IsSecretariat = secretariat, CreatedAt = now });
            }

            return id;
        }

        var secretariat = Account(SecretariatUser, "Secretariat (demo)", secretariat: true);
        foreach (var demo in s_reviews)
        {
            var reviewId = Guid.NewGuid();
            var start = today.AddDays(-demo.DaysSinceStart);
            db.Reviews.Add(new ReviewEntity
            {
                Id = reviewId,
                Title = $"{s_states.Single(s => s.Code == demo.UnderReview).Name} ({demo.UnderReview}) — demo",
                Languages = string.Join(',', demo.Languages),
                CreatedBy = secretariat,
                CreatedAt = now,
                ReviewGroup = demo.Group,
                Phase = 1,
                Clusters = "1",
                Stage = demo.Stage,
                StartDate = start,
                StageEnteredOn = today.AddDays(-demo.DaysInStage),
            });
            db.ReviewStates.Add(new ReviewStateEntity { ReviewId = reviewId, StateCode = demo.UnderReview, Role = StateRole.UnderReview, Instruments = Illustrative });
            db.ReviewStates.AddRange(demo.Reviewing.Select(r => new ReviewStateEntity { ReviewId = reviewId, StateCode = r, Role = StateRole.Reviewing, Instruments = Illustrative }));
            db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = secretariat, StateCode = null, Role = MemberRole.Secretariat });
            foreach (var state in demo.Reviewing.Prepend(demo.UnderReview).Where(s => !demo.MissingFocalPoints.Contains(s)))
            {
                var focal = Account($"{state.ToLowerInvariant()}-focal", $"Focal point {state} (demo)");
                db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = focal, StateCode = state, Role = MemberRole.FocalPoint });
                var expert = Account($"{state.ToLowerInvariant()}-expert", $"Expert {state} (demo)");
                db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = expert, StateCode = state, Role = MemberRole.Expert });
            }

            db.Channels.AddRange(ChannelRules.All.Select(c => new ChannelEntity { ReviewId = reviewId, Name = c, LastSequence = 0, CurrentEpoch = null }));
            for (var stage = ReviewStage.NotStarted; stage < demo.Stage; stage++)
            {
                db.ReviewStageEvents.Add(new ReviewStageEventEntity
                {
                    ReviewId = reviewId, Sequence = (int)stage + 1, FromStage = stage, ToStage = stage + 1, AccountId = secretariat,
                    OccurredAt = now.AddDays(-demo.DaysInStage - (2 * (int)(demo.Stage - stage - 1))),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        Log.Seeded(logger, s_states.Length, s_reviews.Length);
    }

    private sealed record DemoReview(string UnderReview, string[] Reviewing, int Group, ReviewStage Stage, int DaysSinceStart, int DaysInStage, string[] Languages, string[] MissingFocalPoints);

    private static partial class Log
    {
        [LoggerMessage(EventId = 741, Level = LogLevel.Warning, Message = "DEMO DATA seeded ({States} States parties with ILLUSTRATIVE instruments, {Reviews} invented reviews): not for real use")]
        public static partial void Seeded(ILogger logger, int states, int reviews);
    }
}
