using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SecureDialogue.Contracts;
using SecureDialogue.Load;

// Load generator for issue 3 (docs/benchmarks.md, "Dialogue (issue 3)"). `bare-hub` is the baseline server, started by
// the load run itself as a child process of this same program.
if (args is ["bare-hub", .. var hubArgs])
{
    return await BareHub.RunAsync(hubArgs);
}

if (args is ["attachments", .. var attachmentArgs])
{
    return await AttachmentBench.RunAsync(attachmentArgs);
}

if (args is ["--help" or "-h", ..])
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Every number printed here is in the invariant culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(options.MaxMinutes));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    limit.Cancel();
};

ThreadPool.SetMinThreads(Math.Max(8, Environment.ProcessorCount * 4), Math.Max(8, Environment.ProcessorCount * 4));
var work = Directory.CreateTempSubdirectory("sdlg-load-").FullName;
var total = Stopwatch.StartNew();
Console.WriteLine($"SecureDialogue load: {options.Clients} clients in channels of {options.GroupSize}, {options.MessageBytes}-byte messages, " +
                  $"{options.Rounds} round(s) of {options.PhaseSeconds} s phases, paced at {options.PacedDeliveriesPerSecond:0} deliveries/s");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}; work directory {work}");

ChildServer? real = null, bare = null;
RealWorld? world = null;
var clients = new List<LoadClient>();
try
{
    var ct = limit.Token;
    var realStart = ChildServer.StartAsync("real server", options.ServerDll,
        ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(work, "real-data"), .. options.ServerArguments], Path.Combine(work, "real-server.log"), options.ServerEnvironment, ct);
    var bareStart = ChildServer.StartAsync("bare hub", typeof(BareHub).Assembly.Location,
        ["bare-hub", "--urls", "http://127.0.0.1:0"], Path.Combine(work, "bare-hub.log"),
        new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }, ct);
    try
    {
        real = await realStart;
    }
    finally
    {
        bare = await bareStart;
    }

    Console.WriteLine($"Real server pid {real.Pid} at {real.BaseAddress} (embedded profile, SQLite); bare hub pid {bare.Pid} at {bare.BaseAddress}");

    var setup = Stopwatch.StartNew();
    world = await RealWorld.CreateAsync(real.BaseAddress, options.Clients, options.GroupSize, ct);
    Console.WriteLine($"Set up through the real API in {setup.Elapsed.TotalSeconds:0.0} s: {world.Channels.Count} reviews, {options.Clients} members with registered devices, epoch 0 of each dialogue channel");

    var results = new List<PhaseResult>();
    if (!options.SkipLoad)
    {
        // Pre-sealed envelopes, counters 1, 2, ... per sender: the load measures the servers, not client sealing.
        var seal = Stopwatch.StartNew();
        var poolSize = options.PoolPerClient();
        var pools = new byte[options.Clients][][];
        var createdAt = TimeProvider.System.GetUtcNow();
        Parallel.For(0, options.Clients, i =>
        {
            var channel = world.Channels[i / options.GroupSize];
            pools[i] = RealWorld.Seal(channel.Members[i % options.GroupSize], channel.Key, 1, poolSize, options.MessageBytes, createdAt);
        });
        Console.WriteLine($"Sealed {poolSize} envelopes per client ({options.Clients * (long)poolSize} in all, {pools[0][0].Length} bytes each) in {seal.Elapsed.TotalSeconds:0.0} s");

        var connect = Stopwatch.StartNew();
        var bareHub = new Uri(bare.BaseAddress, BareHub.Path);
        var realHub = new Uri(real.BaseAddress, DialogueHubContract.Path);
        var bareClients = new LoadClient[options.Clients];
        var realClients = new LoadClient[options.Clients];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Clients), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var channel = world.Channels[i / options.GroupSize];
            var member = channel.Members[i % options.GroupSize];
            realClients[i] = await LoadClient.ConnectAsync(Target.Real, realHub, member.Token, i, channel.Index, channel.ReviewId, pools[i], token);
            bareClients[i] = await LoadClient.ConnectAsync(Target.Bare, bareHub, null, i, channel.Index, channel.ReviewId, pools[i], token);
        });
        clients.AddRange(realClients);
        clients.AddRange(bareClients);
        Console.WriteLine($"Connected {options.Clients} clients to each hub and joined their channels in {connect.Elapsed.TotalSeconds:0.0} s");

        var runners = new Dictionary<Target, PhaseRunner>
        {
            [Target.Bare] = new(bareClients, bare, options.GroupSize),
            [Target.Real] = new(realClients, real, options.GroupSize),
        };

        Console.WriteLine($"Warm-up: {options.WarmupSeconds} s saturated per target");
        foreach (var runner in runners.Values)
        {
            Print(await runner.SaturatedAsync(options.WarmupSeconds, options.Window), "warm-up");
        }

        // Alternating rounds, so that whatever else runs on the machine weighs on both targets alike.
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var target in new[] { Target.Bare, Target.Real })
            {
                ct.ThrowIfCancellationRequested();
                var result = await runners[target].SaturatedAsync(options.PhaseSeconds, options.Window);
                Print(result, $"round {round}");
                results.Add(result);
            }

            foreach (var target in new[] { Target.Bare, Target.Real })
            {
                ct.ThrowIfCancellationRequested();
                var result = await runners[target].PacedAsync(options.PhaseSeconds, options.PacedDeliveriesPerSecond);
                Print(result, $"round {round}");
                results.Add(result);
            }
        }

        Console.WriteLine($"Real server: RSS {real.ResidentMiB():0} MiB, {realClients.Min(c => c.Remaining)} envelopes left in the smallest pool; bare hub RSS {bare.ResidentMiB():0} MiB");
    }

    CatchUpResult? catchUp = null;
    if (!options.SkipCatchUp)
    {
        Console.WriteLine($"Catch-up: filling a channel with {options.CatchUpMessages} messages from 10 senders through the real hub{(options.CatchUpArchiveChecks ? string.Empty : "; the reader skips the archive inclusion checks")} ...");
        catchUp = await CatchUp.RunAsync(world, real, options, work, ct);
        foreach (var run in catchUp.Runs)
        {
            Console.WriteLine((
                $"  fresh profile {run.Profile}: open {run.OpenSeconds * 1000:0} ms, ReadAsync(0) {run.ReadSeconds:0.000} s for {run.Items} items ({run.Verified} verified), " +
                $"server CPU {run.ServerCpuSeconds:0.00} s, this process {run.ReadCpuSeconds:0.00} s; pure EnvelopeOpener.Open x{catchUp.Messages} {run.PureSeconds:0.000} s (CPU {run.PureCpuSeconds:0.00} s); ratio {run.Ratio:0.00}"));
        }
    }

    var problems = await real.LogLinesAsync(Problem(), 10);
    Report.Print(options, results, catchUp, problems, total.Elapsed, LoadAverage());
    return 0;
}
catch (OperationCanceledException) when (limit.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped after {total.Elapsed.TotalSeconds:0} s (--max-minutes {options.MaxMinutes} or Ctrl+C).");
    return 1;
}
finally
{
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    world?.Dispose();
    if (real is not null)
    {
        await real.DisposeAsync();
    }

    if (bare is not null)
    {
        await bare.DisposeAsync();
    }

    if (options.KeepData)
    {
        Console.WriteLine($"Kept {work}");
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static void Print(PhaseResult r, string label) => Console.WriteLine((
    $"  {label,-8} {r.Target,-4} {r.Kind,-9} {r.DeliveriesPerSecond,9:0} deliveries/s ({r.MessagesPerSecond:0} msg/s), " +
    $"server {r.CpuPerDeliveryMicros,6:0.0} us/delivery ({r.ServerCores:0.00} cores), client {r.ClientCores:0.00} cores, " +
    $"p50 {r.Latency.P50:0.00} ms p99 {r.Latency.P99:0.00} ms" +
    (r.MissingDeliveries > 0 ? $", {r.MissingDeliveries} missing" : string.Empty) +
    (r.Unmatched > 0 ? $", {r.Unmatched} unmatched" : string.Empty) +
    (r.PoolExhausted ? ", POOL EXHAUSTED (raise --pool)" : string.Empty) +
    (r.Errors.Count > 0 ? $", errors: {string.Join("; ", r.Errors.Take(3))}" : string.Empty)));

/// <summary>Entry point (partial for the regex).</summary>
internal partial class Program
{
    [GeneratedRegex(@"^(fail|crit|warn):")]
    private static partial Regex Problem();
}
