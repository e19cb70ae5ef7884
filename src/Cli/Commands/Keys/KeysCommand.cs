using System.CommandLine;
using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary><c>sdlg keys</c>: the group of device key commands.</summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var passphraseFile = PassphraseFileOption.Create(recursive: true);

        return new Command("keys", "Create and inspect this device's keys, and compare safety numbers with a peer")
        {
            passphraseFile,
            KeysInitCommand.Create(context, global, passphraseFile),
            KeysShowCommand.Create(context, global, passphraseFile),
            KeysSafetyNumberCommand.Create(context, global, passphraseFile),
        };
    }
}
