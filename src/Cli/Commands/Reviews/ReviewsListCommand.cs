using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary><c>sdlg reviews list</c>: the reviews the signed-in account is a member of (the secretariat: those assigned to it).</summary>
internal static class ReviewsListCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var command = new Command("list", "List the reviews you take part in");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profileResult.TryGetValue(out var profile, out var failure))
            {
                return context.Fail(failure);
            }

            var opened = await ServerConnection.OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
            if (!opened.TryGetValue(out var connection, out failure))
            {
                return context.Fail(failure);
            }

            using (connection)
            {
                var reviews = await connection.Api.ListReviewsAsync(cancellationToken).ConfigureAwait(false);
                if (!reviews.TryGetValue(out var list, out var error))
                {
                    return context.Fail(connection.Failure(error, "list your reviews"));
                }

                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), ReviewListView.Of(list), CliJsonContext.Output.ReviewListView,
                    static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
