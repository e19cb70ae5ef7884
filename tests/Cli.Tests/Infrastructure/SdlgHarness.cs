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

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs sdlg with <paramref name="input"/> as its (redirected) standard input.</summary>
    public async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input ?? "");
        var exitCode = await SdlgApp.RunAsync(args, Context(output, error, reader));
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>sdlg ARGS --profile DIR</c> for a profile below <see cref="Root"/>.</summary>
    public Task<CliResult> RunAsAsync(string profile, params string[] args) => RunAsync([.. args, "--profile", ProfileDirectory(profile)]);

    /// <summary>
    /// Starts a long-running command (e.g. <c>watch</c>) whose output the test reads while it runs; cancel
    /// <paramref name="cancellationToken"/> to stop it.
    /// </summary>
    public RunningCommand Start(CancellationToken cancellationToken, params string[] args)
    {
        var output = new LockedWriter();
        var error = new LockedWriter();
        var exit = Task.Run(() => SdlgApp.RunAsync(args, Context(output, error, TextReader.Null), cancellationToken), CancellationToken.None);
        return new RunningCommand(output, error, exit);
    }

    private CliContext Context(TextWriter output, TextWriter error, TextReader input) => new()
    {
        Out = output,
        Error = error,
        In = input,
        GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
        Prompt = Prompt,
    };

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

/// <summary>A command still running: its output so far and its exit code once it ends.</summary>
internal sealed record RunningCommand(LockedWriter Out, LockedWriter Error, Task<int> Exit)
{
    /// <summary>Waits until the output satisfies <paramref name="condition"/> (polling), or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition(Out.ToString()))
        {
            if (Exit.IsCompleted)
            {
                Assert.Fail($"The command ended ({await Exit}) before the expected output. Out:\n{Out}\nError:\n{Error}");
            }

            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"The expected output did not appear within {timeout}. Out:\n{Out}\nError:\n{Error}");
            }

            await Task.Delay(100);
        }
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Asserts success, showing the error output otherwise.</summary>
    public CliResult AssertOk()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Error}");
        return this;
    }

    /// <summary>The error output is exactly one line starting with <c>sdlg: </c>.</summary>
    public void AssertOneLineError(int expectedExitCode)
    {
        Assert.Equal(expectedExitCode, ExitCode);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("sdlg: ", lines[0], StringComparison.Ordinal);
    }
}
