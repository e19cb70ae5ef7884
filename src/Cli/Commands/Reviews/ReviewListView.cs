using SecureDialogue.Cli.Output;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>What <c>reviews list</c> prints.</summary>
internal sealed record ReviewListView(IReadOnlyList<ReviewSummaryView> Reviews)
{
    public static ReviewListView Of(IEnumerable<ReviewSummary> reviews) =>
        new([.. reviews.OrderBy(r => r.CreatedAt).Select(ReviewSummaryView.Of)]);

    public void WriteText(TextWriter writer)
    {
        if (Reviews.Count == 0)
        {
            writer.WriteLine("You take part in no review yet.");
            return;
        }

        writer.WriteLine($"{"REVIEW",-36}  {"CREATED",-20}  {"REVIEWED",-8}  {"REVIEWING",-16}  {"STAGE",-24}  {"DEADLINE",-10}  TITLE");
        foreach (var review in Reviews)
        {
            var deadline = review.Deadline?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            writer.WriteLine($"{review.ReviewId,-36}  {Times.Format(review.CreatedAt),-20}  {review.ReviewedState,-8}  {string.Join(",", review.ReviewingStates),-16}  {review.Stage,-24}  {deadline,-10}  {review.Title}{(review.Overdue ? "  [OVERDUE]" : string.Empty)}");
        }
    }
}

/// <summary>One review in a list.</summary>
internal sealed record ReviewSummaryView(
    Guid ReviewId, string Title, string ReviewedState, IReadOnlyList<string> ReviewingStates, DateTimeOffset CreatedAt,
    string Stage, int? Group, DateOnly? Deadline, bool Overdue)
{
    public static ReviewSummaryView Of(ReviewSummary review) =>
        new(review.ReviewId, review.Title, review.ReviewedState, review.ReviewingStates, review.CreatedAt, review.Stage, review.Group, review.Deadline, review.Overdue);
}
