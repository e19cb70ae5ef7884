using System.Diagnostics;
using System.Globalization;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// The real development OpenID provider (npm oidc-provider, scripts/oidc), started with <c>scripts/oidc.sh start
/// --port 0</c> and its own state directory, as tests/Client.Sdk.Tests does; it exits with the test process.
/// </summary>
public sealed class OidcProvider : IAsyncLifetime
{
    /// <summary>Password of every test account (scripts/oidc/accounts.mjs).</summary>
    public const string Password = "sdlg-dev-password";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), $"sdlg-cli-oidc-{Guid.NewGuid():N}");

    /// <summary>The issuer, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (exitCode, output, error) = await RunScriptAsync("start", "--port", "0", "--state-dir", _stateDirectory);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/oidc.sh start failed with {exitCode}:\n{error}\n{output}");
        }

        Issuer = new Uri(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last());
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", "--state-dir", _stateDirectory);
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written: left behind in the temporary directory.
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(params string[] arguments)
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

        start.Environment["OIDC_DEVICE_POLL_INTERVAL"] = "1";
        start.Environment["OIDC_EXIT_WITH_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
