using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>
/// <c>sdlg reviews focal-point --state XXX --user SUBJECT --name NAME --nomination REF [--review R]</c>: the secretariat registers
/// a State's focal point for a review with the note verbale that nominated them (replacing any earlier one).
/// </summary>
internal static class FocalPointCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var state = new Option<string>("--state") { Description = "The State (ISO 3166-1 alpha-3, e.g. NAM)", HelpName = "XXX", Required = true };
        var user = new Option<string>("--user") { Description = "The focal point's user name (subject) at the server's identity provider", HelpName = "SUBJECT", Required = true };
        var name = new Option<string>("--name") { Description = "How the focal point is shown (default: the user name)", HelpName = "NAME" };
        var nomination = new Option<string>("--nomination") { Description = "The nomination reference, e.g. the note verbale number", HelpName = "REF", Required = true };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("focal-point", "Secretariat: register a State's focal point for the review, with the nomination reference")
        {
            review, state, user, name, nomination, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await TrustAccess.RunAsync(context, global, parseResult, review, passphraseFile, async (access, ct) =>
            {
                var subject = parseResult.GetValue(user)!;
                var request = new SetFocalPoint(parseResult.GetValue(state)!.ToUpperInvariant(), subject, parseResult.GetValue(name) ?? subject, parseResult.GetValue(nomination)!);
                var set = await access.Client.SetFocalPointAsync(access.ReviewId, request, ct).ConfigureAwait(false);
                if (!set.TryGetValue(out var entry, out var error))
                {
                    return access.Connection.Failure(error, "register the focal point");
                }

                var view = new FocalPointLine(entry.StateCode, entry.DisplayName, "-", "-", entry.Nomination, "registered");
                Output.CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, Output.CliJsonContext.Output.FocalPointLine,
                    static (v, w) => w.WriteLine($"{v.Name} is the focal point of {v.State} (nomination {v.Nomination}); they publish their device's root when they next use sdlg"));
                return null;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }
}
