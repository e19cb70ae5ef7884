using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>
/// <c>sdlg reviews create</c> (secretariat only): creates a review with its State under review, reviewing States,
/// working languages and members; the server opens the channels <c>dialogue</c> and <c>reviewers</c>.
/// </summary>
internal static class ReviewsCreateCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var title = new Option<string>("--title") { Description = "The review's title", HelpName = "TEXT", Required = true };
        var reviewed = new Option<string>("--reviewed") { Description = "The State under review (ISO 3166-1 alpha-3, e.g. NAM)", HelpName = "STATE", Required = true };
        var reviewing = new Option<string[]>("--reviewing")
        {
            Description = "A reviewing State; repeat for each (usually two)",
            HelpName = "STATE",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var languages = new Option<string[]>("--language")
        {
            Description = "A working language (en, fr, es, ru, zh, ar); repeat for each. Default: en",
            HelpName = "TAG",
            AllowMultipleArgumentsPerToken = false,
        };
        var members = new Option<string[]>("--member")
        {
            Description = $"A member as {MemberArgument.Syntax} (ROLE: {Names.All<MemberRole>()}); repeat for each. " +
                          "SUBJECT is the person's subject at the server's issuer (the user name for the development sign-in)",
            HelpName = MemberArgument.Syntax,
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("create", "Create a review with its States and members (secretariat only)")
        {
            title, reviewed, reviewing, languages, members,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profileResult.TryGetValue(out var profile, out var failure))
            {
                return context.Fail(failure);
            }

            var reviewedState = parseResult.GetValue(reviewed)!.Trim().ToUpperInvariant();
            List<string> reviewingStates = [.. parseResult.GetValue(reviewing)!.Select(s => s.Trim().ToUpperInvariant())];
            if (reviewingStates.Contains(reviewedState) || reviewingStates.Distinct().Count() != reviewingStates.Count)
            {
                return context.Fail(ExitCodes.Usage, "the reviewing States must be distinct and differ from the State under review");
            }

            List<string> languageTags = [.. parseResult.GetValue(languages) is { Length: > 0 } given ? given : ["en"]];
            if (languageTags.FirstOrDefault(l => !LanguageTag.TryParse(l, out _)) is { } badLanguage)
            {
                return context.Fail(ExitCodes.Usage, $"--language '{badLanguage}' is not a language tag (e.g. en, fr, es-419)");
            }

            var newMembers = new List<NewMember>();
            foreach (var member in parseResult.GetValue(members) ?? [])
            {
                if (!MemberArgument.Parse(member, reviewedState, reviewingStates).TryGetValue(out var parsed, out failure))
                {
                    return context.Fail(failure);
                }

                newMembers.Add(parsed);
            }

            var opened = await ServerConnection.OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
            if (!opened.TryGetValue(out var connection, out failure))
            {
                return context.Fail(failure);
            }

            using (connection)
            {
                var request = new CreateReview(parseResult.GetValue(title)!, reviewedState, reviewingStates, languageTags, newMembers);
                var created = await connection.Api.CreateReviewAsync(request, cancellationToken).ConfigureAwait(false);
                if (!created.TryGetValue(out var review, out var error))
                {
                    var refused = connection.Failure(error, "create the review");
                    return context.Fail(error.Status == 403
                        ? refused with { Message = refused.Message + "; only secretariat staff create reviews" }
                        : refused);
                }

                var me = await connection.Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
                var view = ReviewDetailView.Of(review, me.IsSuccess ? me.Value.AccountId : null, null);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.ReviewDetailView, static (v, w) =>
                {
                    w.WriteLine($"Created review {v.ReviewId}.");
                    v.WriteText(w);
                });
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
