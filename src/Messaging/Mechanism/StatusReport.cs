using System.Globalization;
using System.Text;

namespace SecureDialogue.Messaging.Mechanism;

/// <summary>What the status report needs to know of one review: metadata only.</summary>
internal sealed record ReviewStatusInput(int Group, string StateUnderReview, ReviewStage Stage, bool FocalPointMissingUnderReview, int FocalPointsMissingReviewing);

/// <summary>
/// The secretariat's status report as it writes it (Status 14-15, 21): per group, the reviews in each stage, and the
/// reviews not started because of missing focal points, split between those where the State under review's focal
/// point is missing and those where only reviewing States' focal points are missing.
/// </summary>
internal sealed record StatusReport(DateOnly AsOf, IReadOnlyList<GroupStatus> Groups)
{
    /// <summary>Counts the reviews.</summary>
    public static StatusReport Count(DateOnly asOf, IEnumerable<ReviewStatusInput> reviews)
    {
        var groups = reviews
            .GroupBy(r => r.Group)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var byStage = ReviewStages.All.ToDictionary(s => s, s => g.Count(r => r.Stage == s));
                var notStarted = g.Where(r => r.Stage == ReviewStage.NotStarted).ToList();
                return new GroupStatus(
                    g.Key,
                    g.Count(),
                    byStage,
                    notStarted.Count(r => r.FocalPointMissingUnderReview),
                    notStarted.Count(r => !r.FocalPointMissingUnderReview && r.FocalPointsMissingReviewing > 0));
            })
            .ToList();
        return new StatusReport(asOf, groups);
    }

    /// <summary>
    /// The report as CSV: one row per group, a column per stage. Every value is a number or a fixed code, so no
    /// cell can start a spreadsheet formula.
    /// </summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append("as_of,group,reviews");
        foreach (var stage in ReviewStages.All)
        {
            csv.Append(',').Append(ReviewStages.Code(stage));
        }

        csv.Append(",not_started_missing_focal_point_under_review,not_started_missing_focal_point_reviewing\r\n");
        foreach (var group in Groups)
        {
            csv.Append(AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(group.Group.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(group.Reviews.ToString(CultureInfo.InvariantCulture));
            foreach (var stage in ReviewStages.All)
            {
                csv.Append(',').Append(group.ByStage[stage].ToString(CultureInfo.InvariantCulture));
            }

            csv.Append(',').Append(group.NotStartedMissingUnderReview.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(group.NotStartedMissingReviewing.ToString(CultureInfo.InvariantCulture))
                .Append("\r\n");
        }

        return csv.ToString();
    }
}

/// <summary>One group's line of the report.</summary>
internal sealed record GroupStatus(int Group, int Reviews, IReadOnlyDictionary<ReviewStage, int> ByStage, int NotStartedMissingUnderReview, int NotStartedMissingReviewing)
{
    /// <summary>Reviews past <see cref="ReviewStage.NotStarted"/> ("advancing", Status 14).</summary>
    public int Advancing => Reviews - ByStage[ReviewStage.NotStarted];
}
