using SecureDialogue.Vault;

namespace SecureDialogue.Cli;

/// <summary>
/// A profile: the directory holding one device's key store (<c>device.key</c>), its sign-in (<c>login.json</c>,
/// <c>tokens.json</c>) and the client state (<c>state/</c>, docs/cli.md). Chosen by <c>--profile</c>,
/// else <c>$SDLG_PROFILE</c>, else <c>~/.config/securedialogue</c>.
/// </summary>
internal sealed record Profile(string Directory)
{
    /// <summary>The environment variable naming the default profile directory.</summary>
    public const string EnvironmentVariable = "SDLG_PROFILE";

    /// <summary>File name of the key store inside the profile directory.</summary>
    public const string KeyStoreFileName = "device.key";

    /// <summary>File name of the saved sign-in settings (server URL, identity provider) inside the profile directory.</summary>
    public const string LoginFileName = "login.json";

    /// <summary>Full path of the key store.</summary>
    public string KeyStorePath => Path.Combine(Directory, KeyStoreFileName);

    /// <summary>Full path of the saved sign-in settings.</summary>
    public string LoginPath => Path.Combine(Directory, LoginFileName);

    /// <summary>Resolves the profile from the option value and the environment.</summary>
    public static Result<Profile, CommandFailure> Resolve(string? option, CliContext context)
    {
        var home = context.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        string? chosen = option;
        if (chosen is not null && chosen.Length == 0)
        {
            return new CommandFailure(ExitCodes.Usage, "--profile needs a directory path");
        }

        if (string.IsNullOrEmpty(chosen))
        {
            chosen = context.GetEnvironmentVariable(EnvironmentVariable);
        }

        if (string.IsNullOrEmpty(chosen))
        {
            if (string.IsNullOrEmpty(home))
            {
                return new CommandFailure(ExitCodes.Environment,
                    $"cannot find the home directory: pass --profile DIR or set {EnvironmentVariable}");
            }

            chosen = Path.Combine(home, ".config", "securedialogue");
        }
        else if (chosen == "~" || chosen.StartsWith("~/", StringComparison.Ordinal))
        {
            chosen = string.IsNullOrEmpty(home) ? chosen : home + chosen[1..];
        }

        return new Profile(Path.GetFullPath(chosen));
    }

    /// <summary>Creates the profile directory, readable by its owner only (0700), if it does not exist.</summary>
    public CommandFailure? EnsureDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot create the profile directory {Directory}: {e.Message}");
        }
    }
}
