using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Client;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>
/// <c>sdlg certify DEVICE [--role expert|observer|focal-point|secretariat]</c>: the State's focal point certifies a person's
/// device in the review (the person gave the device id and fingerprint, e.g. from <c>sdlg whoami</c>), after comparing the
/// fingerprint. <c>secretariat</c> (focal point of the State under review only) certifies an assigned secretariat member's
/// device, which then gets the keys of the channels the disclosure policy names.
/// <c>sdlg revoke DEVICE [--reason lost|removed|replaced]</c>: revokes one.
/// </summary>
internal static class CertifyCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var device = new Argument<string>("DEVICE_ID") { Description = "The device to certify (32 hex digits), as its owner gave it" };
        var review = DialogueOptions.Review();
        var role = new Option<string>("--role") { Description = "expert (default), observer, focal-point (your own other device), or secretariat (State under review: a secretariat device reads the channels the policy names)", HelpName = "ROLE", DefaultValueFactory = _ => "expert" };
        var noHistory = new Option<bool>("--no-history") { Description = "The device gets no key of the channels' earlier epochs when it is added" };
        var reference = new Option<string>("--reference") { Description = "A reference to record, e.g. the note verbale designating the person (printable ASCII)", HelpName = "REF" };
        var fingerprint = TrustAccess.FingerprintOption();
        var yes = TrustAccess.YesOption();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("certify", "As your State's focal point, certify a person's device in the review (they get keys)")
        {
            device, review, role, noHistory, reference, fingerprint, yes, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DeviceId.TryParse(parseResult.GetValue(device)?.Trim().ToLowerInvariant(), out var id))
            {
                return context.Fail(ExitCodes.Usage, "a device id is 32 hex digits (see 'sdlg whoami' on the device)");
            }

            CertifiedRole? certifiedRole = parseResult.GetValue(role) switch
            {
                "expert" => CertifiedRole.Expert,
                "observer" => CertifiedRole.Observer,
                "focal-point" => CertifiedRole.FocalPoint,
                "secretariat" => CertifiedRole.Secretariat,
                _ => null,
            };
            if (certifiedRole is null)
            {
                return context.Fail(ExitCodes.Usage, "--role is expert, observer, focal-point or secretariat");
            }

            return await TrustAccess.RunAsync(context, global, parseResult, review, passphraseFile, async (access, ct) =>
            {
                var found = await access.Client.LookUpDeviceAsync(id, ct).ConfigureAwait(false);
                if (!found.TryGetValue(out var lookedUp, out var error))
                {
                    return access.Connection.Failure(error, $"look up device {id}");
                }

                var (card, entry) = lookedUp;
                var printed = Fingerprint.Of(card);
                if (TrustConfirmation.Check(context, $"{entry.DisplayName}'s device {id}", printed, parseResult.GetValue(fingerprint), parseResult.GetValue(yes)) is { } refused)
                {
                    return refused;
                }

                var certified = await access.Client.CertifyAsync(access.ReviewId, card, entry.AccountId, certifiedRole.Value,
                    !parseResult.GetValue(noHistory), parseResult.GetValue(reference) ?? string.Empty, ct).ConfigureAwait(false);
                if (!certified.TryGetValue(out var statement, out var failure))
                {
                    return Failure(access, failure, "certify the device");
                }

                var view = new TrustActionView(access.ReviewId, "Certified", id.ToString(), entry.DisplayName, statement.StateCode, printed, Names.Kebab(statement.Role), statement.Sequence);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.TrustActionView, static (v, w) => v.WriteText(w));
                return null;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateRevoke(CliContext context, GlobalOptions global)
    {
        var device = new Argument<string>("DEVICE_ID") { Description = "The device to revoke (32 hex digits)" };
        var review = DialogueOptions.Review();
        var reason = new Option<string>("--reason") { Description = "lost (default: the person may be certified again on a new device), removed (the person leaves the review), replaced (a previous focal point's device)", HelpName = "REASON", DefaultValueFactory = _ => "lost" };
        var reference = new Option<string>("--reference") { Description = "A reference to record (printable ASCII)", HelpName = "REF" };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("revoke", "As your State's focal point, revoke a device in the review (it gets no key of later epochs)")
        {
            device, review, reason, reference, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DeviceId.TryParse(parseResult.GetValue(device)?.Trim().ToLowerInvariant(), out var id))
            {
                return context.Fail(ExitCodes.Usage, "a device id is 32 hex digits");
            }

            RevocationReason? why = parseResult.GetValue(reason) switch
            {
                "lost" => RevocationReason.Lost,
                "removed" => RevocationReason.Removed,
                "replaced" => RevocationReason.Replaced,
                _ => null,
            };
            if (why is null)
            {
                return context.Fail(ExitCodes.Usage, "--reason is lost, removed or replaced");
            }

            return await TrustAccess.RunAsync(context, global, parseResult, review, passphraseFile, async (access, ct) =>
            {
                var revoked = await access.Client.RevokeAsync(access.ReviewId, id, why.Value, parseResult.GetValue(reference) ?? string.Empty, ct).ConfigureAwait(false);
                if (!revoked.TryGetValue(out var statement, out var failure))
                {
                    return Failure(access, failure, "revoke the device");
                }

                var view = new TrustActionView(access.ReviewId, $"Revoked ({Names.Kebab(why.Value)})", id.ToString(), null, statement.StateCode, "-", null, statement.Sequence);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.TrustActionView, static (v, w) => v.WriteText(w));
                return null;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static CommandFailure Failure(Session.DialogueAccess access, TrustActionError failure, string action) => failure.Kind switch
    {
        TrustActionErrorKind.Api when failure.Api is { } api => access.Connection.Failure(api, action),
        TrustActionErrorKind.Invalid => new CommandFailure(ExitCodes.Usage, failure.Message),
        _ => new CommandFailure(ExitCodes.Refused, failure.Message),
    };
}
