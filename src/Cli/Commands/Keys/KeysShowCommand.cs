using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary><c>sdlg keys show</c>: opens the key store and prints the device id, fingerprint and public card.</summary>
internal static class KeysShowCommand
{
    public static Command Create(CliContext context, GlobalOptions global, Option<string> passphraseFile)
    {
        var command = new Command("show", "Unlock the key store and print this device's id, fingerprint and public key (PEER_KEY for others)");
        command.SetAction(parseResult =>
        {
            var profile = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profile.TryGetValue(out var resolved, out var failure))
            {
                return context.Fail(failure);
            }

            var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
            var opened = DeviceKeyStore.Open(resolved, passphrases);
            if (!opened.TryGetValue(out var identity, out failure))
            {
                return context.Fail(failure);
            }

            using (identity)
            {
                var view = DeviceCardView.Of(identity.PublicKeys, resolved.KeyStorePath);
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.DeviceCardView,
                    static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
