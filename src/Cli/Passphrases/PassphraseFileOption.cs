using System.CommandLine;

namespace SecureDialogue.Cli.Passphrases;

/// <summary><c>--passphrase-file FILE</c>, on every command that unlocks the key store.</summary>
internal static class PassphraseFileOption
{
    public static Option<string> Create(bool recursive = false) => new("--passphrase-file")
    {
        Description = "Read the key store passphrase from the first line of FILE. " +
                      $"Otherwise ${PassphraseSource.EnvironmentVariable} is used, else sdlg prompts when standard input is a terminal",
        HelpName = "FILE",
        Recursive = recursive,
    };
}
