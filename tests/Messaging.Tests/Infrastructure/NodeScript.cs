using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// A script of tests/Messaging.Tests/js run by <c>node</c> as a child process, its standard output read line by line
/// as JSON events. The packages come from the folder's lock file (<c>npm ci</c>, here when test.sh has not done it).
/// </summary>
public sealed class NodeScript : IAsyncDisposable
{
    private static readonly SemaphoreSlim s_install = new(1, 1);
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _output = [];

    private NodeScript(Process process) => _process = process;

    /// <summary>The folder of the scripts and their package.json.</summary>
    public static string Folder => Path.Combine(RepositoryRoot.Path, "tests", "Messaging.Tests", "js");

    /// <summary>Everything the script printed so far (standard output and error), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Runs <c>npm ci</c> in <see cref="Folder"/> unless node_modules matches the lock file already.</summary>
    public static async Task EnsurePackagesAsync()
    {
        await s_install.WaitAsync();
        try
        {
            var marker = new FileInfo(Path.Combine(Folder, "node_modules", ".package-lock.json"));
            if (marker.Exists && marker.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Folder} failed ({npm.ExitCode}): {await error}{await output}");
            }
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Starts <c>node SCRIPT ARGS</c> in <see cref="Folder"/> with extra environment variables.</summary>
    public static async Task<NodeScript> StartAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        await EnsurePackagesAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var node = new NodeScript(new Process { StartInfo = start });
        node._process.OutputDataReceived += (_, e) => node.Receive(e.Data, isOutput: true);
        node._process.ErrorDataReceived += (_, e) => node.Receive(e.Data, isOutput: false);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The next event the script prints, whatever it is; fails after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> NextEventAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _events.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node printed no event within {timeout}:\n{Output}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"node exited without the expected event:\n{Output}");
        }
    }

    /// <summary>Waits for the script to exit and returns its exit code; kills it after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node did not exit within {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Receive(string? line, bool isOutput)
    {
        if (line is null)
        {
            if (isOutput)
            {
                _events.Writer.TryComplete();
            }

            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (isOutput && line.StartsWith('{'))
        {
            using var document = JsonDocument.Parse(line);
            _events.Writer.TryWrite(document.RootElement.Clone());
        }
    }
}
