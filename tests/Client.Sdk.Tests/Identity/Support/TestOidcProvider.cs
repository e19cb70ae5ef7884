using System.Diagnostics;

namespace SecureDialogue.Client.Tests.Identity.Support;

/// <summary>
/// The real development OpenID provider (npm oidc-provider, scripts/oidc/provider.mjs), started through
/// <c>scripts/oidc.sh start --port 0</c> with its own state directory, so parallel runs never share one.
/// <c>oidc.sh</c> runs <c>npm ci</c> from the lock file when the packages are missing (a fresh clone).
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    /// <summary>Password of every test account (scripts/oidc/accounts.mjs).</summary>
    public const string Password = "sdlg-dev-password";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string _stateDirectory;

    private TestOidcProvider(Uri issuer, string stateDirectory)
    {
        Issuer = issuer;
        _stateDirectory = stateDirectory;
    }

    /// <summary>The issuer, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Issuer { get; }

    /// <summary>The provider's log so far (method, path and status of every request; login events).</summary>
    public string ReadLog() => File.ReadAllText(Path.Combine(_stateDirectory, "provider.log"));

    /// <summary>Starts a provider with the given settings (OIDC_* variables, see provider.mjs).</summary>
    public static async Task<TestOidcProvider> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"sdlg-oidc-test-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>
        {
            ["OIDC_DEVICE_POLL_INTERVAL"] = "1",
            ["OIDC_EXIT_WITH_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var (exitCode, output, error) = await RunScriptAsync(["start", "--port", "0", "--state-dir", stateDirectory], environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/oidc.sh start failed with {exitCode}:\n{error}\n{output}");
        }

        var url = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return new TestOidcProvider(new Uri(url), stateDirectory);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync(["stop", "--state-dir", _stateDirectory], new Dictionary<string, string>());
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written: the temporary directory is left behind.
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "oidc.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>The repository checkout the tests run from (the directory holding SecureDialogue.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SecureDialogue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"SecureDialogue.sln not found above {AppContext.BaseDirectory}");
    }
}
