namespace SecureDialogue.Cli.Passphrases;

/// <summary>Asks the person at the terminal for a passphrase without echoing it.</summary>
internal interface IPassphrasePrompt
{
    /// <summary>Shows <paramref name="prompt"/> and reads one line; <c>null</c> when input ended first.</summary>
    Passphrase? Read(string prompt);
}
