using System.Globalization;
using System.Reflection;

namespace SecureDialogue.Load;

/// <summary>Command-line settings of a load run (see <c>--help</c>).</summary>
internal sealed record LoadOptions
{
    public int Clients { get; init; } = 100;

    public int GroupSize { get; init; } = 10;

    public int MessageBytes { get; init; } = 1024;

    /// <summary>Seconds of each measured phase (saturated and paced, per target, per round).</summary>
    public double PhaseSeconds { get; init; } = 10;

    /// <summary>
    /// Saturated warm-up per target. 20 s: on the loaded 2-core machine the real server was still JIT-compiling after
    /// 8-10 s (libclrjit 29 % of its samples in the first measured round), which charged a start-up cost to round 1.
    /// </summary>
    public double WarmupSeconds { get; init; } = 20;

    public int Rounds { get; init; } = 2;

    /// <summary>Offered deliveries per second in the paced (latency) phases.</summary>
    public double PacedDeliveriesPerSecond { get; init; } = 10_000;

    /// <summary>Sends in flight per client in the saturated phases.</summary>
    public int Window { get; init; } = 1;

    /// <summary>Pre-sealed envelopes per client for the real server; 0 picks a size from the phase plan.</summary>
    public int Pool { get; init; }

    /// <summary>The highest real-server rate (messages/s) the default pool is sized for.</summary>
    public int PoolRate { get; init; } = 3000;

    public int CatchUpMessages { get; init; } = 10_000;

    /// <summary>Fresh profiles that catch up, one after the other (the first one also pays the JIT).</summary>
    public int CatchUpProfiles { get; init; } = 3;

    /// <summary>Whether the catch-up reader checks every item's inclusion in the review's archive log (the SDK's default; off only to measure what it costs).</summary>
    public bool CatchUpArchiveChecks { get; init; } = true;

    public string ServerDll { get; init; } = DefaultServerDll();

    /// <summary>Extra settings passed to the real server (e.g. <c>--Logging:LogLevel:Default Warning</c>).</summary>
    public IReadOnlyList<string> ServerArguments { get; init; } = [];

    /// <summary>Extra environment variables of the real server (e.g. <c>DOTNET_PerfMapEnabled=1</c> to profile it).</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    public bool SkipLoad { get; init; }

    public bool SkipCatchUp { get; init; }

    public bool KeepData { get; init; }

    /// <summary>Hard limit on the whole run; children are killed and the run fails when it is reached.</summary>
    public double MaxMinutes { get; init; } = 8;

    public const string Usage = """
        dotnet run -c Release --project bench/Dialogue.Load -- [options]

          --clients N          hub clients, in channels of --group members (default 100)
          --group N            members per channel (default 10)
          --message-bytes N    plaintext bytes per message (default 1024)
          --seconds S          length of each measured phase (default 10)
          --warmup S           warm-up per target before the first round (default 20)
          --rounds N           rounds of [bare, real] saturated and paced phases, alternating (default 2)
          --rate N             offered deliveries/s in the paced latency phases (default 10000)
          --window N           sends in flight per client when saturated (default 1)
          --pool N             pre-sealed envelopes per client (default: sized for --pool-rate)
          --pool-rate N        real-server messages/s the default pool is sized for (default 3000)
          --catch-up N         messages the fresh device catches up (default 10000)
          --catch-up-profiles N measured fresh profiles, after one warm-up profile (default 3)
          --catch-up-no-archive the reader skips the archive inclusion checks (VerifyArchive = false), to measure their cost
          --server-dll PATH    SecureDialogue.Messaging.dll (default: the one built with this project)
          --server-arg ARG     extra argument for the real server (repeatable)
          --server-env N=V     extra environment variable for the real server (repeatable)
          --skip-load | --skip-catch-up | --keep-data
          --max-minutes M      hard limit for the whole run (default 8)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var serverArguments = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Double() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--clients" => options with { Clients = Int() },
                "--group" => options with { GroupSize = Int() },
                "--message-bytes" => options with { MessageBytes = Int() },
                "--seconds" => options with { PhaseSeconds = Double() },
                "--warmup" => options with { WarmupSeconds = Double() },
                "--rounds" => options with { Rounds = Int() },
                "--rate" => options with { PacedDeliveriesPerSecond = Double() },
                "--window" => options with { Window = Int() },
                "--pool" => options with { Pool = Int() },
                "--pool-rate" => options with { PoolRate = Int() },
                "--catch-up" => options with { CatchUpMessages = Int() },
                "--catch-up-profiles" => options with { CatchUpProfiles = Int() },
                "--catch-up-no-archive" => options with { CatchUpArchiveChecks = false },
                "--server-dll" => options with { ServerDll = Path.GetFullPath(Next()) },
                "--server-arg" => AddServerArgument(options, serverArguments, Next()),
                "--server-env" => AddServerEnvironment(options, Next()),
                "--skip-load" => options with { SkipLoad = true },
                "--skip-catch-up" => options with { SkipCatchUp = true },
                "--keep-data" => options with { KeepData = true },
                "--max-minutes" => options with { MaxMinutes = Double() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}"),
            };
        }

        if (options.Clients < options.GroupSize || options.Clients % options.GroupSize != 0 || options.GroupSize < 2)
        {
            throw new ArgumentException("--clients must be a multiple of --group (at least 2 members per channel).");
        }

        if (options.Window < 1 || options.Rounds < 1 || options.PhaseSeconds <= 0 || options.MessageBytes < 1)
        {
            throw new ArgumentException("--window, --rounds, --seconds and --message-bytes must be positive.");
        }

        return options;
    }

    /// <summary>Envelopes each real client needs: warm-up and saturated phases at <see cref="PoolRate"/>, paced phases at their rate.</summary>
    public int PoolPerClient()
    {
        if (Pool > 0)
        {
            return Pool;
        }

        var saturated = (WarmupSeconds + (Rounds * PhaseSeconds)) * PoolRate;
        var paced = Rounds * PhaseSeconds * PacedDeliveriesPerSecond / (GroupSize - 1) * 1.05;
        return (int)Math.Ceiling((saturated + paced) / Clients) + 16;
    }

    private static LoadOptions AddServerArgument(LoadOptions options, List<string> arguments, string argument)
    {
        arguments.Add(argument);
        return options with { ServerArguments = [.. arguments] };
    }

    private static LoadOptions AddServerEnvironment(LoadOptions options, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException("--server-env takes NAME=VALUE.");
        }

        return options with
        {
            ServerEnvironment = new Dictionary<string, string>(options.ServerEnvironment) { [assignment[..equals]] = assignment[(equals + 1)..] },
        };
    }

    private static string DefaultServerDll() =>
        typeof(LoadOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "MessagingDll")?.Value ?? "SecureDialogue.Messaging.dll";
}
