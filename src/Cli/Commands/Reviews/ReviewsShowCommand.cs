using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Profile;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>
/// <c>sdlg reviews show [REVIEW]</c>: a review's members (State and role), channels (current epoch, last sequence)
/// and, for members who read a channel, this device's trust alerts about the members' devices. Metadata only: no
/// passphrase needed.
/// </summary>
internal static class ReviewsShowCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = new Argument<string?>("REVIEW")
        {
            Description = "The review id (or a unique prefix); may be omitted when you take part in exactly one review",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("show", "Show a review: members with State and role, channels, and this device's trust alerts") { review };
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
                var resolved = await ReviewSelector.ResolveAsync(connection, parseResult.GetValue(review), cancellationToken).ConfigureAwait(false);
                if (!resolved.TryGetValue(out var reviewId, out failure))
                {
                    return context.Fail(failure);
                }

                var view = await LoadAsync(connection, reviewId, cancellationToken).ConfigureAwait(false);
                if (!view.TryGetValue(out var detail, out failure))
                {
                    return context.Fail(failure);
                }

                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), detail, CliJsonContext.Output.ReviewDetailView,
                    static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static async Task<Vault.Result<ReviewDetailView, CommandFailure>> LoadAsync(ServerConnection connection, Guid reviewId, CancellationToken cancellationToken)
    {
        var detail = await connection.Api.GetReviewAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!detail.TryGetValue(out var review, out var error))
        {
            return connection.Failure(error, $"show review {reviewId}");
        }

        var me = await connection.Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        if (!me.TryGetValue(out var account, out error))
        {
            return connection.Failure(error, "look up your account");
        }

        var member = review.Members.FirstOrDefault(m => m.AccountId == account.AccountId);
        if (member is null || member.Role == MemberRole.Secretariat)
        {
            // The secretariat reads no channel and is not shown member devices.
            return ReviewDetailView.Of(review, member?.AccountId, null);
        }

        var devices = await connection.Api.GetReviewDevicesAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!devices.TryGetValue(out var entries, out error))
        {
            return error.Status == 403
                ? ReviewDetailView.Of(review, member.AccountId, null)
                : connection.Failure(error, "list the members' devices");
        }

        TrustStore trust;
        try
        {
            trust = TrustStore.Load(new ProfileLayout(connection.Profile.Directory, connection.Server));
        }
        catch (IOException e)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot read this device's pins: {e.Message}");
        }

        return ReviewDetailView.Of(review, member.AccountId, DeviceTrustReport.Of(review, entries, trust, connection.Settings.DeviceId));
    }
}
