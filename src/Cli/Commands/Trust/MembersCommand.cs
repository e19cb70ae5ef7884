using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>
/// <c>sdlg members [--review R]</c>: the review's members, their devices and fingerprints, who certified whom and what is
/// revoked, as this device verified it; <c>sdlg members accept DEVICE</c>: trust a new focal point device.
/// </summary>
internal static class MembersCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var review = DialogueOptions.Review();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("members", "Members, devices, fingerprints and who certified whom, as this device verified them")
        {
            review, passphraseFile, Accept(context, global),
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await TrustAccess.RunAsync(context, global, parseResult, review, passphraseFile, async (access, ct) =>
            {
                var members = await access.Client.GetMembersAsync(access.ReviewId, ct).ConfigureAwait(false);
                if (!members.TryGetValue(out var view, out var error))
                {
                    return access.Connection.Failure(error, "list the review's members");
                }

                var output = MembersView.Of(view);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), output, CliJsonContext.Output.MembersView, static (v, w) => v.WriteText(w));
                return null;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static Command Accept(CliContext context, GlobalOptions global)
    {
        var device = new Argument<string>("DEVICE_ID") { Description = "The new focal point device (32 hex digits)" };
        var review = DialogueOptions.Review();
        var fingerprint = TrustAccess.FingerprintOption();
        var yes = TrustAccess.YesOption();
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("accept", "Trust a State's new focal point device after comparing its fingerprint with the nomination")
        {
            device, review, fingerprint, yes, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await TrustAccess.RunAsync(context, global, parseResult, review, passphraseFile, async (access, ct) =>
            {
                if (!DeviceId.TryParse(parseResult.GetValue(device)?.Trim().ToLowerInvariant(), out var id))
                {
                    return new CommandFailure(ExitCodes.Usage, "a device id is 32 hex digits");
                }

                var members = await access.Client.GetMembersAsync(access.ReviewId, ct).ConfigureAwait(false);
                if (!members.TryGetValue(out var view, out var error))
                {
                    return access.Connection.Failure(error, "list the review's members");
                }

                var root = view.FocalPoints.LastOrDefault(f => f.DeviceId == id.ToString());
                if (root is null)
                {
                    return new CommandFailure(ExitCodes.Refused, $"device {id} published no valid focal point statement in review {access.ReviewId}");
                }

                context.Warn($"{root.DisplayName}'s device becomes {root.StateCode}'s trust root for this device: its certificates decide who of {root.StateCode} gets keys");
                if (TrustConfirmation.Check(context, $"{root.DisplayName} ({root.StateCode}) device {root.DeviceId}", root.Fingerprint,
                        parseResult.GetValue(fingerprint), parseResult.GetValue(yes)) is { } refused)
                {
                    return refused;
                }

                var accepted = await access.Client.AcceptFocalPointAsync(access.ReviewId, id, ct).ConfigureAwait(false);
                if (!accepted.TryGetValue(out _, out error))
                {
                    return access.Connection.Failure(error, "accept the focal point");
                }

                var output = new TrustActionView(access.ReviewId, "Accepted focal point", root.DeviceId, root.DisplayName, root.StateCode, root.Fingerprint, "focal-point", null);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), output, CliJsonContext.Output.TrustActionView, static (v, w) => v.WriteText(w));
                return null;
            }, cancellationToken).ConfigureAwait(false));
        return command;
    }
}
