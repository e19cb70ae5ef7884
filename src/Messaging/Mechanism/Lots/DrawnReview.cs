namespace SecureDialogue.Messaging.Mechanism.Lots;

/// <summary>A review as drawn: the State under review, its reviewing States with the instruments each reviews.</summary>
internal sealed record DrawnReview(
    int Group,
    string StateUnderReview,
    IReadOnlyList<DrawnReviewer> ReviewingStates,
    IReadOnlyList<string> WorkingLanguages,
    DateOnly StartDate);

/// <summary>A reviewing State and the instruments it reviews.</summary>
internal sealed record DrawnReviewer(string State, Instruments Instruments);

/// <summary>A pair already under review elsewhere (existing reviews), for the mutual-review rule.</summary>
internal readonly record struct ReviewPair(string StateUnderReview, string ReviewingState);
