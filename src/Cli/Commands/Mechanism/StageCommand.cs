using System.CommandLine;
using System.Globalization;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Mechanism;

/// <summary>
/// <c>sdlg stage [show]</c>: a review's stage, days in stage, deadline and stage changes (every member);
/// <c>sdlg stage advance [--to STAGE]</c>: the assigned secretariat moves it one stage forward.
/// </summary>
internal static class StageCommand
{
    /// <summary>The stage codes in order (docs/protocol.md 19.2).</summary>
    public static readonly string[] Stages =
        ["not-started", "preliminary-consultation", "self-assessment", "written-feedback", "constructive-dialogue", "list-of-observations", "summary", "finalised"];

    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var show = new Command("show", "Show the review's stage, deadline and stage changes") { review };
        show.SetAction((parseResult, cancellationToken) => RunAsync(context, global, parseResult, review, advanceTo: null, cancellationToken));

        var to = new Option<string>("--to") { Description = "The stage to move to; must be the next one (default: the next one)", HelpName = "STAGE" };
        var advanceReview = DialogueOptions.Review();
        var advance = new Command("advance", "Move the review one stage forward (secretariat staff assigned to it)") { advanceReview, to };
        advance.SetAction((parseResult, cancellationToken) => RunAsync(context, global, parseResult, advanceReview, parseResult.GetValue(to) ?? string.Empty, cancellationToken));

        var command = new Command("stage", "A review's stage (show, advance)") { review, show, advance };
        command.SetAction((parseResult, cancellationToken) => RunAsync(context, global, parseResult, review, advanceTo: null, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> reviewOption, string? advanceTo, CancellationToken cancellationToken)
    {
        if (advanceTo is { Length: > 0 } && !Stages.Contains(advanceTo, StringComparer.Ordinal))
        {
            return context.Fail(ExitCodes.Usage, $"--to '{advanceTo}' is not a stage ({string.Join(", ", Stages)})");
        }

        return await ServerConnection.RunInReviewAsync(context, global, parseResult, reviewOption, async (connection, reviewId) =>
        {
            var current = await connection.Api.GetStageAsync(reviewId, cancellationToken).ConfigureAwait(false);
            if (!current.TryGetValue(out var info, out var error))
            {
                return context.Fail(connection.Failure(error, "read the review's stage"));
            }

            if (advanceTo is not null)
            {
                var index = Array.IndexOf(Stages, info.Stage);
                if (index < 0 || index + 1 >= Stages.Length)
                {
                    return context.Fail(ExitCodes.Refused, $"the review is at '{info.Stage}': there is no next stage");
                }

                var target = advanceTo.Length > 0 ? advanceTo : Stages[index + 1];
                var moved = await connection.Api.AdvanceStageAsync(reviewId, target, cancellationToken).ConfigureAwait(false);
                if (!moved.TryGetValue(out info, out error))
                {
                    return context.Fail(connection.Failure(error, $"move the review to '{target}'"));
                }
            }

            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), StageView.Of(reviewId, info), CliJsonContext.Output.StageView, static (v, w) => v.WriteText(w));
            return ExitCodes.Ok;
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What <c>sdlg stage</c> prints.</summary>
internal sealed record StageView(Guid ReviewId, string Stage, DateOnly? StartDate, int DaysInStage, DateOnly? Deadline, bool Overdue, IReadOnlyList<StageChange> History)
{
    public static StageView Of(Guid reviewId, StageInfo info) =>
        new(reviewId, info.Stage, info.StartDate, info.DaysInStage, info.Deadline, info.Overdue, info.History);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"review    {ReviewId}");
        writer.WriteLine($"stage     {Stage} ({DaysInStage} days)");
        writer.WriteLine($"started   {StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-"}");
        writer.WriteLine($"deadline  {Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-"}{(Overdue ? "  OVERDUE" : string.Empty)}");
        foreach (var change in History)
        {
            writer.WriteLine($"  #{change.Sequence} {Times.Format(change.At)}  {change.From} -> {change.To}  by {change.DisplayName}");
        }
    }
}
