using System.CommandLine;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;

namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>Opens the profile, the review and this device's keys for a trust command, and maps its failure to an exit code.</summary>
internal static class TrustAccess
{
    public static Option<string> FingerprintOption() => new("--fingerprint")
    {
        Description = "The fingerprint you compared with the device's owner (or the note verbale); sdlg refuses when it differs",
        HelpName = "DIGITS",
    };

    public static Option<bool> YesOption() => new("--yes") { Description = "Do not ask: you compared the fingerprint already" };

    public static async Task<int> RunAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> review, Option<string> passphraseFile,
        Func<DialogueAccess, CancellationToken, Task<CommandFailure?>> action, CancellationToken cancellationToken)
    {
        var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
        if (!profileResult.TryGetValue(out var profile, out var failure))
        {
            return context.Fail(failure);
        }

        var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
        var opened = await DialogueAccess.OpenAsync(context, profile, passphrases, parseResult.GetValue(review), cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var access, out failure))
        {
            return context.Fail(failure);
        }

        await using (access.ConfigureAwait(false))
        {
            var registered = await access.Client.RegisterDeviceAsync(cancellationToken).ConfigureAwait(false);
            if (!registered.TryGetValue(out _, out var error))
            {
                return context.Fail(access.Connection.Failure(error, "register this device"));
            }

            return await action(access, cancellationToken).ConfigureAwait(false) is { } refused ? context.Fail(refused) : ExitCodes.Ok;
        }
    }
}
