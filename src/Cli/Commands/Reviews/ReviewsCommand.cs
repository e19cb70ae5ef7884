using System.CommandLine;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary><c>sdlg reviews</c>: the reviews the signed-in account takes part in.</summary>
internal static class ReviewsCommand
{
    public static Command Create(CliContext context, GlobalOptions global) =>
        new("reviews", "List and show the reviews you take part in; the secretariat creates them")
        {
            ReviewsListCommand.Create(context, global),
            ReviewsShowCommand.Create(context, global),
            ReviewsCreateCommand.Create(context, global),
            Trust.FocalPointCommand.Create(context, global),
        };
}
