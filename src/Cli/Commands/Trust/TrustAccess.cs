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

    public static Task<int> RunAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> review, Option<string> passphraseFile,
        Func<DialogueAccess, CancellationToken, Task<CommandFailure?>> action, CancellationToken cancellationToken) =>
        DialogueAccess.RunAsync(context, global, parseResult, review, passphraseFile, async access =>
        {
            var registered = await access.Client.RegisterDeviceAsync(cancellationToken).ConfigureAwait(false);
            if (!registered.TryGetValue(out _, out var error))
            {
                return context.Fail(access.Connection.Failure(error, "register this device"));
            }

            return await action(access, cancellationToken).ConfigureAwait(false) is { } refused ? context.Fail(refused) : ExitCodes.Ok;
        }, cancellationToken);
}
