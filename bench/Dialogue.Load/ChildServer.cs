using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureDialogue.Load;

/// <summary>
/// A server in a child process (<c>dotnet X.dll ...</c>), its output in a log file (so this process spends nothing on
/// draining it), its address read from the start banner ("listening on http://127.0.0.1:PORT"), and its CPU time read
/// from <c>/proc/PID/stat</c>. Disposing kills it (by its own pid).
/// </summary>
internal sealed partial class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private ChildServer(string name, Process process, string logFile, Uri baseAddress)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> and waits for its banner.</summary>
    public static async Task<ChildServer> StartAsync(string name, string dll, IEnumerable<string> arguments, string logFile,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name}: {dll} does not exist (build with -c Release first).", dll);
        }

        // exec keeps the pid: the process we watch is the server itself, and its output goes straight to the file.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >\"$SDLG_LOAD_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SDLG_LOAD_LOG"] = logFile;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        try
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = File.Exists(logFile) ? await ReadSharedAsync(logFile, cancellationToken) : string.Empty;
                if (Listening().Match(text) is { Success: true } match)
                {
                    return new ChildServer(name, process, logFile, new Uri(match.Groups[1].Value + "/"));
                }

                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with code {process.ExitCode} during start:\n{text}");
                }

                if (deadline.Elapsed > s_startTimeout)
                {
                    throw new TimeoutException($"{name} printed no address within {s_startTimeout.TotalSeconds} s:\n{text}");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>CPU time (user + system, all threads) the process has used so far.</summary>
    public TimeSpan CpuTime() => ProcessCpu.Of(_process.Id);

    /// <summary>Resident set size now, in MiB.</summary>
    public double ResidentMiB() => ProcessCpu.ResidentMiB(_process.Id);

    public bool HasExited => _process.HasExited;

    /// <summary>Lines of the log that match <paramref name="pattern"/> (e.g. errors), for the report.</summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(Regex pattern, int max)
    {
        var text = await ReadSharedAsync(LogFile, CancellationToken.None);
        return [.. text.Split('\n').Where(l => pattern.IsMatch(l)).Take(max)];
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken);
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

/// <summary>Process CPU time and memory from <c>/proc</c> (Linux).</summary>
internal static class ProcessCpu
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name (which may contain spaces), starting at field 3 (state): utime is 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static TimeSpan Self() => Of(Environment.ProcessId);

    public static double ResidentMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return double.NaN;
    }
}
