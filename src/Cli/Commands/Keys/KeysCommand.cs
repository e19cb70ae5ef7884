using System.CommandLine;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary><c>sdlg keys</c>: the group of device key commands.</summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var passphraseFile = new Option<string>("--passphrase-file")
        {
            Description = "Read the key store passphrase from the first line of FILE. " +
                          "Otherwise $SDLG_PASSPHRASE is used, else sdlg prompts when standard input is a terminal",
            HelpName = "FILE",
            Recursive = true,
        };

        return new Command("keys", "Create and inspect this device's keys, and compare safety numbers with a peer")
        {
            passphraseFile,
            KeysInitCommand.Create(context, global, passphraseFile),
            KeysShowCommand.Create(context, global, passphraseFile),
            KeysSafetyNumberCommand.Create(context, global, passphraseFile),
        };
    }
}
