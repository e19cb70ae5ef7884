using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using SecureDialogue.Bench;

// Default job, sized for a shared 2-core machine: one process per case, 5 warm-up and 20 measured
// iterations of ~250 ms (about 15 s per case). `--job short|medium|long|dry|default` picks a stock job
// instead; every other BenchmarkDotNet option (--filter, --iterationCount, --launchCount...) works as usual.
// `--paired [rounds]` runs the in-process alternating cross-check instead of BenchmarkDotNet (PairedRun).
if (args is ["--paired", ..])
{
    PairedRun.Run(args.Length > 1 && int.TryParse(args[1], out var rounds) ? rounds : 300);
    return;
}

// `--bundle [entries] [rounds]`: verifying a sealed bundle against checking only its signatures (BundleRun).
if (args is ["--bundle", ..])
{
    BundleRun.Run(
        args.Length > 1 && int.TryParse(args[1], out var entries) ? entries : 100_000,
        args.Length > 2 && int.TryParse(args[2], out var bundleRounds) ? bundleRounds : 6);
    return;
}

var (jobName, rest) = TakeJobOption(args);
var baseJob = jobName?.ToLowerInvariant() switch
{
    null => Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(5)
        .WithIterationCount(20)
        .WithIterationTime(TimeInterval.FromMilliseconds(250)),
    "short" => Job.ShortRun,
    "medium" => Job.MediumRun,
    "long" => Job.LongRun,
    "dry" => Job.Dry,
    "default" => Job.Default,
    _ => throw new ArgumentException($"Unknown --job '{jobName}' (short, medium, long, dry, default)."),
};

var config = DefaultConfig.Instance
    .AddJob(baseJob.WithToolchain(BenchToolchain.Create()).WithId(jobName ?? "Vault").AsDefault())
    .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));

var summaries = BenchmarkSwitcher.FromAssembly(typeof(EnvelopeBenchmarks).Assembly).Run(rest, config);
RatioReport.Print(summaries);

static (string? Job, string[] Remaining) TakeJobOption(string[] args)
{
    var rest = new List<string>();
    string? job = null;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--job" or "-j" && i + 1 < args.Length)
        {
            job = args[++i];
        }
        else if (args[i].StartsWith("--job=", StringComparison.Ordinal))
        {
            job = args[i]["--job=".Length..];
        }
        else
        {
            rest.Add(args[i]);
        }
    }

    return (job, [.. rest]);
}
