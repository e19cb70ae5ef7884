namespace SecureDialogue.Messaging.Mechanism;

/// <summary>
/// The stages of a country review as the secretariat reports them (Status 14-15; P&amp;R 34-39), in order. A review
/// moves forward one stage at a time; each change is a signed event in the review's log.
/// </summary>
internal enum ReviewStage
{
    /// <summary>Drawn, but a focal point is missing (Status 21).</summary>
    NotStarted = 0,

    /// <summary>Consultation on time frames, requirements and working languages (P&amp;R 31; within six weeks, Status 23).</summary>
    PreliminaryConsultation = 1,

    /// <summary>The State under review answers the self-assessment questionnaire (within six months, P&amp;R 34).</summary>
    SelfAssessmentQuestionnaire = 2,

    /// <summary>The reviewing States prepare their written feedback (within six months of the responses, P&amp;R 35).</summary>
    WrittenFeedback = 3,

    /// <summary>The constructive dialogue on the feedback (P&amp;R 35).</summary>
    ConstructiveDialogue = 4,

    /// <summary>The list of observations is drafted (P&amp;R 38).</summary>
    ListOfObservations = 5,

    /// <summary>The summary, at most 1,500 words (P&amp;R 38).</summary>
    Summary = 6,

    /// <summary>Finalised upon agreement of all (P&amp;R 39).</summary>
    Finalised = 7,
}

/// <summary>Stage codes for files, URLs and resources: <c>not-started</c>, <c>preliminary-consultation</c>, ...</summary>
internal static class ReviewStages
{
    /// <summary>Every stage in order.</summary>
    public static IReadOnlyList<ReviewStage> All { get; } = Enum.GetValues<ReviewStage>();

    /// <summary>The stage's code.</summary>
    public static string Code(ReviewStage stage) => stage switch
    {
        ReviewStage.NotStarted => "not-started",
        ReviewStage.PreliminaryConsultation => "preliminary-consultation",
        ReviewStage.SelfAssessmentQuestionnaire => "self-assessment",
        ReviewStage.WrittenFeedback => "written-feedback",
        ReviewStage.ConstructiveDialogue => "constructive-dialogue",
        ReviewStage.ListOfObservations => "list-of-observations",
        ReviewStage.Summary => "summary",
        ReviewStage.Finalised => "finalised",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage."),
    };

    /// <summary>Parses a code.</summary>
    public static bool TryParse(string? text, out ReviewStage stage)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Code(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                stage = candidate;
                return true;
            }
        }

        stage = default;
        return false;
    }

    /// <summary>Whether a review may move from <paramref name="from"/> to <paramref name="to"/>: one stage forward only.</summary>
    public static bool IsNext(ReviewStage from, ReviewStage to) => to == from + 1 && to <= ReviewStage.Finalised;
}
