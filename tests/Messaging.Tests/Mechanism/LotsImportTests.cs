using System.Text;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Lots;

namespace SecureDialogue.Messaging.Tests.Mechanism;

public sealed class LotsImportTests
{
    private const Instruments All = Instruments.Convention | Instruments.TraffickingInPersons | Instruments.SmugglingOfMigrants | Instruments.Firearms;
    private const string Header = "group,state_under_review,reviewing_state,instruments,working_languages,start_date\n";

    // User-assigned ISO codes (XAA-XZZ): a registry for the tests, not a statement about real States' ratifications.
    private static readonly Dictionary<string, StateParty> s_states = new[]
    {
        new StateParty("XAA", "Africa A", RegionalGroup.African, All),
        new StateParty("XAB", "Africa B", RegionalGroup.African, All),
        new StateParty("XAC", "Africa C", RegionalGroup.African, Instruments.Convention | Instruments.TraffickingInPersons),
        new StateParty("XWA", "West A", RegionalGroup.WesternEuropeanAndOthers, All),
        new StateParty("XWB", "West B", RegionalGroup.WesternEuropeanAndOthers, Instruments.Convention),
        new StateParty("XEA", "East A", RegionalGroup.EasternEuropean, All),
        new StateParty("XGA", "Grulac A", RegionalGroup.LatinAmericanAndCaribbean, All),
    }.ToDictionary(s => s.Code);

    private static LotsImportReport Check(string csv, params ReviewPair[] existing) =>
        LotsImport.Check(Encoding.UTF8.GetBytes(csv), s_states, existing);

    private static (int Line, LotsProblemKind Kind)[] Problems(LotsImportReport report) =>
        report.Problems.Select(p => (p.Line, p.Kind)).ToArray();

    [Fact]
    public void A_valid_file_creates_one_review_per_State_under_review_with_each_reviewers_instruments()
    {
        var report = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en;fr,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en;fr,2020-12-01\n" +
            "2,XWB,XWA,UNTOC,en,2021-11-01\n" +
            "2,XWB,xga,untoc,en,2021-11-01\n");

        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(2, report.Reviews.Count);
        var first = report.Reviews[0];
        Assert.Equal(("XAA", 1, new DateOnly(2020, 12, 1)), (first.StateUnderReview, first.Group, first.StartDate));
        Assert.Equal(["en", "fr"], first.WorkingLanguages);
        Assert.Equal([new DrawnReviewer("XAB", All), new DrawnReviewer("XWA", All)], first.ReviewingStates);
        Assert.Equal(["XWA", "XGA"], report.Reviews[1].ReviewingStates.Select(r => r.State));
    }

    [Fact]
    public void An_additional_reviewer_for_the_instruments_a_drawn_reviewer_is_not_party_to_satisfies_every_instrument()
    {
        // XAC is party to UNTOC and TIP only: a third State reviews SOM and FIREARMS (P&R 28 (b)).
        var report = Check(Header +
            "1,XAA,XAC,UNTOC;TIP,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XEA,SOM;FIREARMS,en,2020-12-01\n");

        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(3, report.Reviews.Single().ReviewingStates.Count);
    }

    [Fact]
    public void Every_row_problem_is_reported_with_its_line_and_nothing_is_imported()
    {
        var report = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "4,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" + // line 3: group
            "1,XZZ,XWA,UNTOC,en,2020-12-01\n" +                  // line 4: unknown State under review
            "1,XAB,XAB,UNTOC,en,2020-12-01\n" +                  // line 5: self review
            "1,XAB,XWA,UNTOC;CORRUPTION,en,2020-12-01\n" +       // line 6: unknown instrument
            "1,XAB,XWB,UNTOC;TIP,en,2020-12-01\n" +              // line 7: reviewer not party to TIP
            "1,XAC,XWA,SOM,en,2020-12-01\n" +                    // line 8: State under review not party to SOM
            "1,XAB,XEA,UNTOC,de,2020-12-01\n" +                  // line 9: not a working language
            "1,XAB,XGA,UNTOC,en;fr;ru;zh,2020-12-01\n" +         // line 10: four languages
            "1,XAB,XGA,UNTOC,en,01/12/2020\n");                  // line 11: date

        Assert.False(report.IsValid);
        Assert.Empty(report.Reviews);
        Assert.Equal(
            [
                (3, LotsProblemKind.InvalidGroup),
                (4, LotsProblemKind.UnknownState),
                (5, LotsProblemKind.SelfReview),
                (6, LotsProblemKind.InvalidInstruments),
                (7, LotsProblemKind.ReviewerNotParty),
                (8, LotsProblemKind.ReviewedNotParty),
                (9, LotsProblemKind.InvalidLanguages),
                (10, LotsProblemKind.InvalidLanguages),
                (11, LotsProblemKind.InvalidDate),
            ],
            Problems(report).Where(p => p.Line > 2).ToArray());
        Assert.Equal("XWB: TIP", report.Problems.Single(p => p.Kind == LotsProblemKind.ReviewerNotParty).Value);
    }

    [Fact]
    public void Mutual_reviews_are_refused_in_the_file_and_against_existing_reviews()
    {
        var inFile = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAB,XAA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" + // line 4: XAA reviews XAB, which reviews XAA
            "1,XAB,XEA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n");
        Assert.Equal([(4, LotsProblemKind.MutualReview)], Problems(inFile));

        var existing = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n",
            new ReviewPair("XWA", "XAA"));
        Assert.Equal([(3, LotsProblemKind.MutualReview)], Problems(existing));
    }

    [Fact]
    public void A_review_needs_a_reviewer_from_its_own_regional_group_and_one_from_another()
    {
        var noOwn = Check(Header +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XEA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n");
        Assert.Equal([(2, LotsProblemKind.NoReviewerFromOwnGroup)], Problems(noOwn));

        var noOther = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XAC,UNTOC;TIP,en,2020-12-01\n");
        Assert.Contains((2, LotsProblemKind.NoReviewerFromOtherGroup), Problems(noOther));
    }

    [Fact]
    public void More_than_four_reviewing_States_and_instruments_with_fewer_than_two_reviewers_are_refused()
    {
        var five = Check(Header +
            "1,XAA,XAB,UNTOC,en,2020-12-01\n" +
            "1,XAA,XAC,UNTOC,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XEA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XGA,UNTOC,en,2020-12-01\n");
        Assert.Equal([(2, LotsProblemKind.TooManyReviewers)], Problems(five));

        var thin = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n");
        var problem = Assert.Single(thin.Problems);
        Assert.Equal((LotsProblemKind.InstrumentUnderReviewed, "XAA: FIREARMS (1)"), (problem.Kind, problem.Value));
    }

    [Fact]
    public void Rows_of_one_review_must_agree_duplicates_are_refused_and_a_State_is_reviewed_once()
    {
        var report = Check(Header +
            "1,XAA,XAB,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,fr,2020-12-01\n" +
            "1,XAA,XWA,UNTOC;TIP;SOM;FIREARMS,en,2020-12-01\n",
            new ReviewPair("XAA", "XGA"));
        Assert.Equal(
            [(2, LotsProblemKind.AlreadyUnderReview), (3, LotsProblemKind.InconsistentReview), (4, LotsProblemKind.DuplicatePair)],
            Problems(report));
    }

    [Fact]
    public void Missing_columns_and_unreadable_files_are_reported_for_the_file()
    {
        Assert.Equal(
            [(1, LotsProblemKind.MissingColumn)],
            Problems(Check("group,state_under_review,reviewing_state,instruments,start_date\n1,XAA,XAB,UNTOC,2020-12-01\n")));
        Assert.Equal([(2, LotsProblemKind.NotCsv)], Problems(Check(Header + "1,\"XAA,XAB,UNTOC,en,2020-12-01\n")));
        Assert.Equal(LotsProblemKind.NotCsv, LotsImport.Check([0xC3, 0x28], s_states, []).Problems.Single().Kind);
    }
}
