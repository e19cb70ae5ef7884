using SecureDialogue.Messaging.Mechanism;

namespace SecureDialogue.Messaging.Tests.Mechanism;

public sealed class StatusReportTests
{
    [Fact]
    public void Counts_reviews_per_group_and_stage_and_splits_missing_focal_points_as_the_secretariat_reports_them()
    {
        static ReviewStatusInput Review(int group, ReviewStage stage, bool missingUnderReview = false, int missingReviewing = 0) =>
            new(group, "XAA", stage, missingUnderReview, missingReviewing);

        var report = StatusReport.Count(new DateOnly(2022, 9, 1),
        [
            Review(1, ReviewStage.NotStarted, missingUnderReview: true),
            Review(1, ReviewStage.NotStarted, missingUnderReview: true, missingReviewing: 2), // counted once, under review
            Review(1, ReviewStage.NotStarted, missingReviewing: 1),
            Review(1, ReviewStage.PreliminaryConsultation),
            Review(1, ReviewStage.WrittenFeedback),
            Review(1, ReviewStage.WrittenFeedback),
            Review(2, ReviewStage.SelfAssessmentQuestionnaire),
            Review(2, ReviewStage.NotStarted, missingReviewing: 2),
        ]);

        Assert.Equal([1, 2], report.Groups.Select(g => g.Group));
        var one = report.Groups[0];
        Assert.Equal((6, 3, 3, 2, 1), (one.Reviews, one.Advancing, one.ByStage[ReviewStage.NotStarted], one.NotStartedMissingUnderReview, one.NotStartedMissingReviewing));
        Assert.Equal(2, one.ByStage[ReviewStage.WrittenFeedback]);
        Assert.Equal(0, one.ByStage[ReviewStage.Finalised]);
        var two = report.Groups[1];
        Assert.Equal((2, 1, 0, 1), (two.Reviews, two.Advancing, two.NotStartedMissingUnderReview, two.NotStartedMissingReviewing));

        var lines = report.ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            "as_of,group,reviews,not-started,preliminary-consultation,self-assessment,written-feedback,constructive-dialogue,list-of-observations,summary,finalised,not_started_missing_focal_point_under_review,not_started_missing_focal_point_reviewing",
            lines[0]);
        Assert.Equal("2022-09-01,1,6,3,1,0,2,0,0,0,0,2,1", lines[1]);
        Assert.Equal("2022-09-01,2,2,1,0,1,0,0,0,0,0,0,1", lines[2]);
    }
}
