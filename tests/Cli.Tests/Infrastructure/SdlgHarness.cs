using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>sdlg</c> in-process against captured writers, a private environment (never the process's) and an
/// optional scripted prompt, inside a temporary directory that is deleted afterwards.
/// </summary>
internal sealed class SdlgHarness : IDisposable
{
    public const string DefaultPassphrase = "correct horse battery staple";

    public SdlgHarness()
    {
        Root = Directory.CreateTempSubdirectory("sdlg-cli-tests-").FullName;
        Environment["HOME"] = Path.Combine(Root, "home");
        Environment[PassphraseSource.EnvironmentVariable] = DefaultPassphrase;
    }

    /// <summary>The temporary directory; profiles go below it.</summary>
    public string Root { get; }

    /// <summary>The environment the CLI sees.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The terminal prompt, or null for "standard input is not a terminal".</summary>
    public IPassphrasePrompt? Prompt { get; set; }

    public string ProfileDirectory(string name) => Path.Combine(Root, name);

    public string KeyStorePath(string name) => Path.Combine(ProfileDirectory(name), "device.key");

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            Prompt = Prompt,
        };
        var exitCode = await SdlgApp.RunAsync(args, context);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary><c>keys init --json --kdf-profile interactive</c> for a profile below <see cref="Root"/>, asserting success.</summary>
    public async Task<DeviceCardJson> InitAsync(string profile)
    {
        var result = await RunAsync("keys", "init", "--profile", ProfileDirectory(profile), "--kdf-profile", "interactive", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return DeviceCardJson.Parse(result.Out);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The error output is exactly one line starting with <c>sdlg: </c>.</summary>
    public void AssertOneLineError(int expectedExitCode)
    {
        Assert.Equal(expectedExitCode, ExitCode);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("sdlg: ", lines[0], StringComparison.Ordinal);
    }
}
