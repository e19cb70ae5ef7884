using System.CommandLine;

namespace SecureDialogue.Cli;

/// <summary>Options accepted by every command.</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--profile DIR</c>: the profile directory.</summary>
    public Option<string> Profile { get; } = new("--profile")
    {
        Description = $"Profile directory holding the key store ({SecureDialogue.Cli.Profile.KeyStoreFileName}). " +
                      $"Default: ${SecureDialogue.Cli.Profile.EnvironmentVariable}, else ~/.config/securedialogue",
        HelpName = "DIR",
        Recursive = true,
    };

    /// <summary><c>--json</c>: machine-readable output.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON on standard output (errors stay one line on standard error)",
        Recursive = true,
    };
}
