using System.Globalization;

namespace SecureDialogue.Load;

/// <summary>The summary: the three hub ratios and the catch-up ratio against the goals of issue 3.</summary>
internal static class Report
{
    private const double ThroughputGoal = 0.80;
    private const double CpuGoal = 1.25;
    private const double LatencyGoal = 1.5;
    private const double CatchUpGoal = 1.5;

    public static void Print(LoadOptions options, IReadOnlyList<PhaseResult> results, CatchUpResult? catchUp, IReadOnlyList<string> serverProblems, TimeSpan elapsed, string loadAverage)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"## Summary ({elapsed.TotalSeconds:0} s in all; load average at the end {loadAverage})"));
        if (results.Count > 0)
        {
            var saturated = Combine(results.Where(r => r.Kind == "saturated"));
            var paced = Combine(results.Where(r => r.Kind == "paced"));
            Console.WriteLine();
            Console.WriteLine("| | bare hub | real server | real / bare | goal |");
            Console.WriteLine("|---|---:|---:|---:|---|");
            Row("Saturated throughput, deliveries/s", saturated[Target.Bare].PerSecond, saturated[Target.Real].PerSecond, "0", ThroughputGoal, atLeast: true);
            Row("Server CPU per delivery (saturated), us", saturated[Target.Bare].CpuMicros, saturated[Target.Real].CpuMicros, "0.0", CpuGoal, atLeast: false);
            Row("Server CPU per delivery (paced), us", paced[Target.Bare].CpuMicros, paced[Target.Real].CpuMicros, "0.0", CpuGoal, atLeast: false);
            Row(string.Create(c, $"p50 latency at {options.PacedDeliveriesPerSecond:0} deliveries/s, ms"), paced[Target.Bare].Latency.P50, paced[Target.Real].Latency.P50, "0.00", null, atLeast: false);
            Row(string.Create(c, $"p99 latency at {options.PacedDeliveriesPerSecond:0} deliveries/s, ms"), paced[Target.Bare].Latency.P99, paced[Target.Real].Latency.P99, "0.00", LatencyGoal, atLeast: false);
            Row("Achieved paced deliveries/s", paced[Target.Bare].PerSecond, paced[Target.Real].PerSecond, "0", null, atLeast: true);
            Row("Server cores used (saturated)", saturated[Target.Bare].ServerCores, saturated[Target.Real].ServerCores, "0.00", null, atLeast: true);
            Row("Load generator cores used (saturated)", saturated[Target.Bare].ClientCores, saturated[Target.Real].ClientCores, "0.00", null, atLeast: true);

            Console.WriteLine();
            Console.WriteLine("Per round (real / bare): " + string.Join("; ", Enumerable.Range(1, options.Rounds).Select(round =>
            {
                var phases = results.Skip((round - 1) * 4).Take(4).ToArray();
                return (
                    $"round {round}: throughput {phases[1].DeliveriesPerSecond / phases[0].DeliveriesPerSecond:0.00}, " +
                    $"CPU/delivery {phases[1].CpuPerDeliveryMicros / phases[0].CpuPerDeliveryMicros:0.00}, " +
                    $"p99 {phases[3].Latency.P99 / phases[2].Latency.P99:0.00}");
            })));
            var missing = results.Sum(r => r.MissingDeliveries);
            var errors = results.SelectMany(r => r.Errors).ToList();
            Console.WriteLine(($"Missing deliveries in paced phases: {missing}; send errors: {(errors.Count == 0 ? "none" : string.Join("; ", errors.Take(5)))}; " +
                                               $"pool exhausted: {(results.Any(r => r.PoolExhausted) ? "YES (raise --pool or --pool-rate)" : "no")}"));
        }

        if (catchUp is not null)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(c, $"Catch-up of {catchUp.Messages} messages ({catchUp.EnvelopeBytes}-byte envelopes; filled through the hub by 10 senders in {catchUp.FillSeconds:0.0} s, {catchUp.Messages / catchUp.FillSeconds:0} msg/s):"));
            Console.WriteLine();
            Console.WriteLine("| fresh profile | OpenChannelAsync | ReadAsync(0) | pure Open x N (mean of before and after) | SDK / pure | goal |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|");
            foreach (var run in catchUp.Runs)
            {
                var label = run.Profile == 0 ? "0 (warm-up: JIT of both processes, not counted)" : run.Profile.ToString(CultureInfo.InvariantCulture);
                // A read whose items did not all verify did not do the work the baseline does: its ratio means nothing.
                var verdict = run.Verified != catchUp.Messages ? $"NOT VALID: {run.Verified} of {catchUp.Messages} verified"
                    : run.Profile == 0 ? string.Empty : $"<= {CatchUpGoal} {(run.Ratio <= CatchUpGoal ? "met" : "MISSED")}";
                Console.WriteLine((
                    $"| {label} | {run.OpenSeconds * 1000:0} ms | {run.ReadSeconds:0.000} s ({run.Verified} verified) | {run.PureSeconds:0.000} s | {run.Ratio:0.00} | {verdict} |"));
            }

            var measured = catchUp.Runs.Where(r => r.Profile > 0 && r.Verified == catchUp.Messages).Select(r => r.Ratio).Order().ToList();
            if (measured.Count > 0)
            {
                var median = measured[measured.Count / 2];
                Console.WriteLine((
                    $"| median of the measured profiles | | | | {median:0.00} | <= {CatchUpGoal} {(median <= CatchUpGoal ? "met" : "MISSED")} |"));
            }

            Console.WriteLine();
            foreach (var run in catchUp.Runs)
            {
                Console.WriteLine(string.Create(c, $"Profile {run.Profile}, what the SDK said: {run.Verdicts}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(serverProblems.Count == 0 ? "Real server log: no warnings or errors." : "Real server log problems:\n  " + string.Join("\n  ", serverProblems));
    }

    private static void Row(string name, double bare, double real, string format, double? goal, bool atLeast)
    {
        var ratio = real / bare;
        var verdict = goal is { } g
            ? string.Create(CultureInfo.InvariantCulture, $"{(atLeast ? ">=" : "<=")} {g} {((atLeast ? ratio >= g : ratio <= g) ? "met" : "MISSED")}")
            : string.Empty;
        Console.WriteLine((
            $"| {name} | {bare.ToString(format, CultureInfo.InvariantCulture)} | {real.ToString(format, CultureInfo.InvariantCulture)} | {ratio:0.00} | {verdict} |"));
    }

    private static Dictionary<Target, Combined> Combine(IEnumerable<PhaseResult> phases) =>
        phases.GroupBy(p => p.Target).ToDictionary(g => g.Key, g =>
        {
            var seconds = g.Sum(p => p.Seconds);
            var deliveries = g.Sum(p => p.Deliveries);
            var cpu = g.Sum(p => p.ServerCpuSeconds);
            return new Combined(
                deliveries / seconds,
                cpu * 1e6 / deliveries,
                cpu / seconds,
                g.Sum(p => p.ClientCpuSeconds) / seconds,
                LatencySummary.Of(g.SelectMany(p => p.Latency.Samples)));
        });

    private sealed record Combined(double PerSecond, double CpuMicros, double ServerCores, double ClientCores, LatencySummary Latency);
}
