namespace SecureDialogue.Messaging.Mechanism;

/// <summary>
/// The time frames of a review, from its start date and the date it entered its current stage. Sources: focal point
/// within two weeks and experts within four weeks of the start (Status 8); preliminary consultation within six weeks
/// of the start (Status 23, guidelines para. 11); questionnaire responses within six months (P&amp;R 34, counted from
/// the start of the questionnaire stage, the latest a time frame agreed in the consultation may end); written feedback
/// within six months of receiving the responses (P&amp;R 35, counted from the start of the feedback stage).
/// Later stages have no fixed time frame.
/// </summary>
internal static class ReviewTimeFrames
{
    /// <summary>Days after the start by which every focal point should be nominated.</summary>
    public const int FocalPointDays = 14;

    /// <summary>Days after the start by which the experts should be designated.</summary>
    public const int ExpertDays = 28;

    /// <summary>Days after the start by which the preliminary consultation should be held.</summary>
    public const int PreliminaryConsultationDays = 42;

    /// <summary>Months allowed for the questionnaire responses, and for the written feedback.</summary>
    public const int ResponseMonths = 6;

    /// <summary>The deadline of the current stage, or null when the stage has none.</summary>
    public static DateOnly? StageDeadline(ReviewStage stage, DateOnly start, DateOnly stageEntered) => stage switch
    {
        ReviewStage.NotStarted => start.AddDays(FocalPointDays),
        ReviewStage.PreliminaryConsultation => start.AddDays(PreliminaryConsultationDays),
        ReviewStage.SelfAssessmentQuestionnaire => stageEntered.AddMonths(ResponseMonths),
        ReviewStage.WrittenFeedback => stageEntered.AddMonths(ResponseMonths),
        _ => null,
    };

    /// <summary>The review's schedule as seen on <paramref name="today"/>.</summary>
    public static ReviewSchedule Schedule(ReviewStage stage, DateOnly start, DateOnly stageEntered, DateOnly today)
    {
        var deadline = StageDeadline(stage, start, stageEntered);
        var daysInStage = Math.Max(0, today.DayNumber - stageEntered.DayNumber);
        return new ReviewSchedule(stage, daysInStage, deadline, deadline is { } d && today > d);
    }
}

/// <summary>Where a review stands: its stage, for how long, the stage's deadline and whether it has passed.</summary>
internal readonly record struct ReviewSchedule(ReviewStage Stage, int DaysInStage, DateOnly? Deadline, bool Overdue);
