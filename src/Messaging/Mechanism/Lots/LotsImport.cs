using System.Globalization;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Mechanism.Lots;

/// <summary>
/// Reads the results of a drawing of lots (docs/secretariat.md, "Importing a drawing of lots") and checks them
/// against P&amp;R 26 and 28: one row per State under review and reviewing State, with the instruments that State
/// reviews. Every problem is reported with its line; reviews are returned only when there is none, so a file with
/// errors imports nothing.
/// </summary>
internal static class LotsImport
{
    /// <summary>The columns, in any order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["group", "state_under_review", "reviewing_state", "instruments", "working_languages", "start_date"];

    /// <summary>Most reviewing States of one review (P&amp;R 28 (c)).</summary>
    public const int MaxReviewingStates = 4;

    /// <summary>Reviewing States each instrument needs (P&amp;R 26: "reviewed by two other States").</summary>
    public const int ReviewersPerInstrument = 2;

    /// <summary>Checks a file. <paramref name="existing"/> are the pairs of reviews already set up.</summary>
    public static LotsImportReport Check(
        ReadOnlySpan<byte> file,
        IReadOnlyDictionary<string, StateParty> statesParties,
        IReadOnlyCollection<ReviewPair> existing)
    {
        if (!CsvTable.Parse(file).TryGetValue(out var document, out var csvProblem))
        {
            return new LotsImportReport([new LotsProblem(csvProblem.Line, string.Empty, LotsProblemKind.NotCsv, csvProblem.Message)], []);
        }

        var problems = new List<LotsProblem>();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Columns)
        {
            var index = document.Column(name);
            if (index < 0)
            {
                problems.Add(new LotsProblem(1, name, LotsProblemKind.MissingColumn, name));
            }

            columns[name] = index;
        }

        if (problems.Count > 0)
        {
            return new LotsImportReport(problems, []);
        }

        var rows = new List<ParsedRow>();
        foreach (var row in document.Rows)
        {
            if (ParseRow(row, columns, statesParties, problems) is { } parsed)
            {
                rows.Add(parsed);
            }
        }

        CheckPairs(rows, existing, problems);
        var reviews = CheckReviews(rows, statesParties, existing, problems);
        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return problems.Count == 0 ? new LotsImportReport([], reviews) : new LotsImportReport(problems, []);
    }

    private static ParsedRow? ParseRow(CsvRow row, Dictionary<string, int> columns, IReadOnlyDictionary<string, StateParty> statesParties, List<LotsProblem> problems)
    {
        var before = problems.Count;
        void Problem(string column, LotsProblemKind kind, string value) => problems.Add(new LotsProblem(row.Line, column, kind, value));

        var groupText = row[columns["group"]];
        if (!int.TryParse(groupText, NumberStyles.None, CultureInfo.InvariantCulture, out var group) || group is < 1 or > 3)
        {
            Problem("group", LotsProblemKind.InvalidGroup, groupText);
        }

        var reviewedCode = row[columns["state_under_review"]].ToUpperInvariant();
        var reviewerCode = row[columns["reviewing_state"]].ToUpperInvariant();
        statesParties.TryGetValue(reviewedCode, out var reviewed);
        statesParties.TryGetValue(reviewerCode, out var reviewer);
        if (reviewed is null)
        {
            Problem("state_under_review", LotsProblemKind.UnknownState, reviewedCode);
        }

        if (reviewer is null)
        {
            Problem("reviewing_state", LotsProblemKind.UnknownState, reviewerCode);
        }
        else if (reviewerCode == reviewedCode)
        {
            Problem("reviewing_state", LotsProblemKind.SelfReview, reviewerCode);
        }

        var instrumentsText = row[columns["instruments"]];
        if (!InstrumentCodes.TryParse(instrumentsText, out var instruments))
        {
            Problem("instruments", LotsProblemKind.InvalidInstruments, instrumentsText);
        }
        else
        {
            if (reviewed is not null && !reviewed.IsPartyTo(instruments))
            {
                Problem("instruments", LotsProblemKind.ReviewedNotParty, $"{reviewedCode}: {InstrumentCodes.Format(instruments & ~reviewed.Instruments)}");
            }

            if (reviewer is not null && !reviewer.IsPartyTo(instruments))
            {
                Problem("instruments", LotsProblemKind.ReviewerNotParty, $"{reviewerCode}: {InstrumentCodes.Format(instruments & ~reviewer.Instruments)}");
            }
        }

        var languagesText = row[columns["working_languages"]];
        var languages = ParseLanguages(languagesText);
        if (languages is null)
        {
            Problem("working_languages", LotsProblemKind.InvalidLanguages, languagesText);
        }

        var dateText = row[columns["start_date"]];
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            Problem("start_date", LotsProblemKind.InvalidDate, dateText);
        }

        return problems.Count == before
            ? new ParsedRow(row.Line, group, reviewed!, reviewer!, instruments, languages!, start)
            : null;
    }

    private static string[]? ParseLanguages(string text)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length is 0 or > 3 || parts.Distinct(StringComparer.OrdinalIgnoreCase).Count() != parts.Length)
        {
            return null;
        }

        var tags = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!LanguageTag.TryParse(parts[i], out var tag) || !tag.IsWorkingLanguage || tag.Value != tag.PrimarySubtag)
            {
                return null;
            }

            tags[i] = tag.Value;
        }

        return tags;
    }

    private static void CheckPairs(List<ParsedRow> rows, IReadOnlyCollection<ReviewPair> existing, List<LotsProblem> problems)
    {
        var seen = new HashSet<ReviewPair>(existing);
        var inFile = new HashSet<ReviewPair>();
        foreach (var row in rows)
        {
            var pair = new ReviewPair(row.Reviewed.Code, row.Reviewer.Code);
            if (!inFile.Add(pair))
            {
                problems.Add(new LotsProblem(row.Line, "reviewing_state", LotsProblemKind.DuplicatePair, $"{pair.StateUnderReview}/{pair.ReviewingState}"));
            }

            seen.Add(pair);
        }

        // Mutual reviews: reported on the row of either pair that comes later in the file (or on the row, when the
        // other pair is an existing review).
        foreach (var row in rows)
        {
            var mirror = new ReviewPair(row.Reviewer.Code, row.Reviewed.Code);
            if (!seen.Contains(mirror))
            {
                continue;
            }

            var mirrorRow = rows.FirstOrDefault(r => r.Reviewed.Code == mirror.StateUnderReview && r.Reviewer.Code == mirror.ReviewingState);
            if (mirrorRow is null || mirrorRow.Line < row.Line)
            {
                problems.Add(new LotsProblem(row.Line, "reviewing_state", LotsProblemKind.MutualReview, $"{row.Reviewer.Code}/{row.Reviewed.Code}"));
            }
        }
    }

    private static List<DrawnReview> CheckReviews(List<ParsedRow> rows, IReadOnlyDictionary<string, StateParty> statesParties, IReadOnlyCollection<ReviewPair> existing, List<LotsProblem> problems)
    {
        var reviews = new List<DrawnReview>();
        var alreadyReviewed = existing.Select(p => p.StateUnderReview).ToHashSet(StringComparer.Ordinal);
        foreach (var review in rows.GroupBy(r => r.Reviewed.Code, StringComparer.Ordinal))
        {
            var first = review.First();
            var reviewed = first.Reviewed;
            void Problem(LotsProblemKind kind, string column, string value) => problems.Add(new LotsProblem(first.Line, column, kind, value));

            if (alreadyReviewed.Contains(reviewed.Code))
            {
                Problem(LotsProblemKind.AlreadyUnderReview, "state_under_review", reviewed.Code);
            }

            foreach (var row in review.Skip(1))
            {
                if (row.Group != first.Group || row.Start != first.Start || !row.Languages.SequenceEqual(first.Languages, StringComparer.Ordinal))
                {
                    problems.Add(new LotsProblem(row.Line, "state_under_review", LotsProblemKind.InconsistentReview, $"{reviewed.Code}: {first.Line}"));
                }
            }

            var reviewers = review.GroupBy(r => r.Reviewer.Code, StringComparer.Ordinal)
                .Select(g => new DrawnReviewer(g.Key, g.Aggregate(Instruments.None, (set, r) => set | r.Instruments)))
                .ToList();
            if (!reviewers.Any(r => statesParties[r.State].Group == reviewed.Group))
            {
                Problem(LotsProblemKind.NoReviewerFromOwnGroup, "reviewing_state", $"{reviewed.Code}: {RegionalGroupCodes.Code(reviewed.Group)}");
            }

            if (!reviewers.Any(r => statesParties[r.State].Group != reviewed.Group))
            {
                Problem(LotsProblemKind.NoReviewerFromOtherGroup, "reviewing_state", reviewed.Code);
            }

            if (reviewers.Count > MaxReviewingStates)
            {
                Problem(LotsProblemKind.TooManyReviewers, "reviewing_state", $"{reviewed.Code}: {reviewers.Count}");
            }

            foreach (var instrument in InstrumentCodes.Each.Where(i => reviewed.Instruments.HasFlag(i)))
            {
                var count = reviewers.Count(r => r.Instruments.HasFlag(instrument));
                if (count < ReviewersPerInstrument)
                {
                    Problem(LotsProblemKind.InstrumentUnderReviewed, "instruments", $"{reviewed.Code}: {InstrumentCodes.Code(instrument)} ({count})");
                }
            }

            reviews.Add(new DrawnReview(first.Group, reviewed.Code, reviewers, first.Languages, first.Start));
        }

        return reviews;
    }

    private sealed record ParsedRow(int Line, int Group, StateParty Reviewed, StateParty Reviewer, Instruments Instruments, string[] Languages, DateOnly Start);
}

/// <summary>The outcome of checking a drawing-of-lots file: the problems, or the reviews to create when there are none.</summary>
internal sealed record LotsImportReport(IReadOnlyList<LotsProblem> Problems, IReadOnlyList<DrawnReview> Reviews)
{
    /// <summary>Whether the file can be imported.</summary>
    public bool IsValid => Problems.Count == 0;
}
