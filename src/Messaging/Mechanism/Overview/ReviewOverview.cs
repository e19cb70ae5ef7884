using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Mechanism.Overview;

/// <summary>One review as the secretariat's dashboard and the status report see it: metadata only.</summary>
internal sealed record ReviewOverview(
    Guid ReviewId,
    string Title,
    string StateUnderReview,
    IReadOnlyList<ReviewingStateOverview> ReviewingStates,
    int? Group,
    int Phase,
    IReadOnlyList<ThematicCluster> Clusters,
    IReadOnlyList<string> Languages,
    DateOnly? StartDate,
    ReviewSchedule Schedule,
    IReadOnlyList<string> MissingFocalPoints)
{
    /// <summary>Whether the State under review has no focal point.</summary>
    public bool FocalPointMissingUnderReview => MissingFocalPoints.Contains(StateUnderReview, StringComparer.Ordinal);

    /// <summary>The status report's input.</summary>
    public ReviewStatusInput ToStatusInput() => new(
        Group ?? 0, StateUnderReview, Schedule.Stage, FocalPointMissingUnderReview,
        MissingFocalPoints.Count(s => !string.Equals(s, StateUnderReview, StringComparison.Ordinal)));

    /// <summary>The wire summary's mechanism fields.</summary>
    public ReviewSummary Decorate(ReviewSummary summary) => summary with
    {
        Stage = ReviewStages.Code(Schedule.Stage),
        Group = Group,
        Deadline = Schedule.Deadline,
        Overdue = Schedule.Overdue,
    };
}

/// <summary>A reviewing State and the instruments it reviews.</summary>
internal sealed record ReviewingStateOverview(string State, Instruments Instruments);
