using System.Diagnostics;
using System.Globalization;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Identity.Support;

/// <summary>
/// The real development OpenID provider (npm oidc-provider, scripts/oidc/provider.mjs), started with
/// <c>scripts/oidc.sh start --port 0 --state-dir DIR</c> as docs/identity.md describes (the script runs <c>npm ci</c> when
/// the packages are missing). A small copy of tests/Client.Sdk.Tests' TestOidcProvider: the test projects stay separate.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    /// <summary>Password of every test account (scripts/oidc/accounts.mjs).</summary>
    public const string Password = "sdlg-dev-password";

    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(5);
    private readonly string _stateDirectory;

    private OidcProviderProcess(Uri issuer, string stateDirectory)
    {
        Issuer = issuer;
        _stateDirectory = stateDirectory;
    }

    /// <summary>The issuer, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Issuer { get; }

    /// <summary>Starts a provider with extra settings (<c>OIDC_*</c> variables, see provider.mjs); it exits with this process.</summary>
    public static async Task<OidcProviderProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"sdlg-oidc-messaging-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OIDC_DEVICE_POLL_INTERVAL"] = "1",
            ["OIDC_EXIT_WITH_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
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
        return new OidcProviderProcess(new Uri(url), stateDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync(["stop", "--state-dir", _stateDirectory], new Dictionary<string, string>());
        try
        {
            System.IO.Directory.Delete(_stateDirectory, recursive: true);
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
        using var timeout = new CancellationTokenSource(s_scriptTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
