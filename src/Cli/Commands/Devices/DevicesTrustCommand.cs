using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Channels;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Cli.Commands.Devices;

/// <summary>
/// <c>sdlg devices trust DEVICE_ID --review REVIEW</c>: trusts a member's device that this device holds unverified (a
/// new or changed device of an account it pinned), after the user compared the safety number with its owner. The
/// channels this member reads are then refreshed, so that a managing member's device adds it to a new epoch.
/// </summary>
internal static class DevicesTrustCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var device = new Argument<string>("DEVICE_ID") { Description = "The device id shown in the alert (32 hex digits, or a unique prefix of at least 8)" };
        var review = DialogueOptions.Review();
        var safetyNumber = new Option<string>("--safety-number")
        {
            Description = "The safety number you compared with the device's owner; sdlg refuses to trust the device when it differs",
            HelpName = "DIGITS",
        };
        var passphraseFile = PassphraseFileOption.Create();
        var command = new Command("trust", "Trust a member's unverified device after comparing safety numbers with its owner")
        {
            device, review, safetyNumber, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var wanted = parseResult.GetValue(device)!.Trim().ToLowerInvariant();
            if (wanted.Length < 8 || !wanted.All(char.IsAsciiHexDigit))
            {
                return context.Fail(ExitCodes.Usage, $"'{wanted}' is not a device id (32 hex digits, or a prefix of at least 8)");
            }

            return await DialogueAccess.RunInChannelAsync(context, global, parseResult, review, passphraseFile, ChannelId.Dialogue.Value, async (access, session) =>
            {
                List<UnverifiedDevice> matches = [.. session.UnverifiedDevices.Where(d => d.DeviceId.StartsWith(wanted, StringComparison.Ordinal))];
                if (matches.Count != 1)
                {
                    return context.Fail(ExitCodes.Failed, matches.Count == 0
                        ? $"no unverified device {wanted} among the members of review {access.ReviewId} (already trusted or pinned, or not listed by the server; see 'sdlg reviews show')"
                        : $"'{wanted}' matches {matches.Count} unverified devices: give more of the id");
                }

                var target = matches[0];
                if (parseResult.GetValue(safetyNumber) is { } compared && Digits(compared) != Digits(target.SafetyNumber))
                {
                    return context.Fail(ExitCodes.Failed,
                        $"the safety number you gave does not match the one for device {target.DeviceId}: do not trust it; check with {target.DisplayName} over a channel you trust");
                }

                if (!access.Client.TrustDevice(target))
                {
                    return context.Fail(ExitCodes.Failed, $"the server's card for device {target.DeviceId} is invalid; it was not trusted");
                }

                var channels = new List<ChannelEpochView>();
                if (await session.RefreshAsync(cancellationToken).ConfigureAwait(false) is { } refreshError)
                {
                    context.Warn(access.Connection.Failure(refreshError, "update the 'dialogue' channel").Message);
                }

                channels.Add(EpochOf(session, target.DeviceId));
                if (session.Review.ReviewingStates.Contains(target.StateCode ?? "") &&
                    await OtherChannelAsync(access, ChannelId.Reviewers.Value, target.DeviceId, cancellationToken).ConfigureAwait(false) is { } reviewers)
                {
                    channels.Add(reviewers);
                }

                var view = new TrustedDeviceView(access.ReviewId, target.DeviceId, target.DisplayName, target.StateCode, target.Fingerprint, target.SafetyNumber, channels);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.TrustedDeviceView, static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    // Opening the channel rotates its epoch when this member manages it and the trusted devices changed.
    private static async Task<ChannelEpochView?> OtherChannelAsync(DialogueAccess access, string channel, string deviceId, CancellationToken cancellationToken)
    {
        var opened = await access.OpenChannelAsync(channel, cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var session, out _))
        {
            // This member does not read it (not a reviewing State's member): nothing to update.
            return null;
        }

        await using (session.ConfigureAwait(false))
        {
            return EpochOf(session, deviceId);
        }
    }

    private static ChannelEpochView EpochOf(ChannelSession session, string deviceId) =>
        new(session.Channel, session.CurrentEpoch, session.CurrentMembers.Any(m => m.DeviceId == deviceId));

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));
}
