using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// The real server as operators run it, in its embedded profile: <c>dotnet SecureDialogue.Messaging.dll --urls
/// http://127.0.0.1:0 --data DIR</c> in a child process (built by the project reference), its address read from the start
/// banner, then <c>/healthz</c> awaited. Shared by the tests of the "Messaging server" collection.
/// </summary>
public sealed partial class MessagingServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The data directory (SQLite database, development signing key).</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("sdlg-cli-server-").FullName;

    /// <summary>The server's process id (to read its memory from /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Everything the server wrote so far (its log).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        // SDLG_SERVER_DLL runs another build of the server, e.g. a ReadyToRun publish (docs/benchmarks.md, server memory).
        var dll = Environment.GetEnvironmentVariable("SDLG_SERVER_DLL") is { Length: > 0 } published
            ? published
            : RepositoryRoot.Output("Messaging", "SecureDialogue.Messaging.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (or publish the server)");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0", "--data", DataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }

        _process.OutputDataReceived += Collect;
        _process.ErrorDataReceived += Collect;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The server exited during start:\n" + Output));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        BaseAddress = await listening.Task.WaitAsync(StartTimeout);

        // The first request JIT-compiles the pipeline: on a loaded two-core machine it can take well over 5 s.
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && attempt < 50)
            {
                // Not listening yet, or too slow to answer under load.
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

/// <summary>The tests that talk to the one shared server: run one after another (the machine is small).</summary>
[CollectionDefinition(Name)]
public sealed class MessagingServerCollection : ICollectionFixture<MessagingServer>
{
    public const string Name = "Messaging server";
}
