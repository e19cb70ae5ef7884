using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Mechanism;

/// <summary>The status report on the wire.</summary>
internal static class StatusReportViews
{
    public static StatusReportView From(StatusReport report) => new(
        report.AsOf,
        [
            .. report.Groups.Select(g => new StatusReportGroup(
                g.Group, g.Reviews,
                ReviewStages.All.ToDictionary(ReviewStages.Code, s => g.ByStage[s], StringComparer.Ordinal),
                g.NotStartedMissingUnderReview, g.NotStartedMissingReviewing)),
        ]);
}
