using System.CommandLine;
using SecureDialogue.Cli.Commands.Archive;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;

namespace SecureDialogue.Cli.Commands.Publication;

/// <summary><c>sdlg publications list [--review R]</c>: the review's publications (members and secretariat), withdrawn ones included.</summary>
internal static class PublicationsCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var list = new Command("list", "List the review's publications, with their portal pages and records") { review };
        list.SetAction(async (parseResult, cancellationToken) =>
            await ArchiveBundleCommands.WithServerAsync(context, parseResult.GetValue(global.Profile), parseResult.GetValue(review), async (connection, reviewId) =>
            {
                var listed = await connection.Api.ListPublicationsAsync(reviewId, cancellationToken).ConfigureAwait(false);
                if (!listed.TryGetValue(out var publications, out var error))
                {
                    return context.Fail(connection.Failure(error, "list the review's publications"));
                }

                var view = new PublicationsView(reviewId, [.. publications.Publications.Select(p => PublishedView.Of(p, connection.Server, p.WithdrawnAt is null ? "listed" : "withdrawn"))]);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.PublicationsView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false));
        return new Command("publications", "The review's publications") { list };
    }
}
