using SecureDialogue.Messaging.Mechanism;

namespace SecureDialogue.Messaging.Tests.Mechanism;

public sealed class ReviewTimeFramesTests
{
    private static readonly DateOnly s_start = new(2020, 12, 1);

    [Theory]
    [InlineData((int)ReviewStage.NotStarted, "2020-12-01", "2020-12-15")]
    [InlineData((int)ReviewStage.PreliminaryConsultation, "2020-12-20", "2021-01-12")]
    [InlineData((int)ReviewStage.SelfAssessmentQuestionnaire, "2021-01-10", "2021-07-10")]
    [InlineData((int)ReviewStage.WrittenFeedback, "2021-08-31", "2022-02-28")]
    [InlineData((int)ReviewStage.ConstructiveDialogue, "2022-03-01", null)]
    [InlineData((int)ReviewStage.Finalised, "2023-03-01", null)]
    public void Each_stage_has_the_time_frame_of_the_rules(int stage, string entered, string? deadline)
    {
        Assert.Equal(deadline is null ? null : DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture),
            ReviewTimeFrames.StageDeadline((ReviewStage)stage, s_start, DateOnly.Parse(entered, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_review_is_overdue_the_day_after_its_deadline_and_counts_days_in_stage()
    {
        var entered = new DateOnly(2021, 1, 10);
        Assert.Equal(new ReviewSchedule(ReviewStage.SelfAssessmentQuestionnaire, 181, new DateOnly(2021, 7, 10), false),
            ReviewTimeFrames.Schedule(ReviewStage.SelfAssessmentQuestionnaire, s_start, entered, new DateOnly(2021, 7, 10)));
        Assert.True(ReviewTimeFrames.Schedule(ReviewStage.SelfAssessmentQuestionnaire, s_start, entered, new DateOnly(2021, 7, 11)).Overdue);
        Assert.False(ReviewTimeFrames.Schedule(ReviewStage.ConstructiveDialogue, s_start, entered, new DateOnly(2030, 1, 1)).Overdue);
    }

    [Fact]
    public void Stages_move_one_step_forward_only_and_round_trip_their_codes()
    {
        Assert.True(ReviewStages.IsNext(ReviewStage.NotStarted, ReviewStage.PreliminaryConsultation));
        Assert.False(ReviewStages.IsNext(ReviewStage.NotStarted, ReviewStage.SelfAssessmentQuestionnaire));
        Assert.False(ReviewStages.IsNext(ReviewStage.WrittenFeedback, ReviewStage.SelfAssessmentQuestionnaire));
        Assert.False(ReviewStages.IsNext(ReviewStage.Finalised, ReviewStage.Finalised + 1));
        foreach (var stage in ReviewStages.All)
        {
            Assert.True(ReviewStages.TryParse(ReviewStages.Code(stage), out var parsed));
            Assert.Equal(stage, parsed);
        }

        Assert.False(ReviewStages.TryParse("started", out _));
    }

    [Fact]
    public void Table_1_lists_the_articles_of_each_instrument_per_cluster()
    {
        Assert.Equal([2, 5, 6, 8, 9, 10, 15, 23], ThematicClusters.Articles(ThematicCluster.CriminalizationAndJurisdiction, Instruments.Convention));
        Assert.Empty(ThematicClusters.Articles(ThematicCluster.LawEnforcementAndJudicialSystem, Instruments.Firearms));
        Assert.Equal([6, 12, 13], ThematicClusters.Articles(ThematicCluster.InternationalCooperation, Instruments.Firearms));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThematicClusters.Articles(ThematicCluster.InternationalCooperation, Instruments.Convention | Instruments.Firearms));
        Assert.True(InstrumentCodes.TryParse(" untoc ; Firearms", out var set));
        Assert.Equal("UNTOC;FIREARMS", InstrumentCodes.Format(set));
        Assert.False(InstrumentCodes.TryParse("UNTOC;UNTOC", out _));
    }
}
