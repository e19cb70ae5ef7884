using BenchmarkDotNet.Reports;

namespace SecureDialogue.Bench;

/// <summary>
/// Prints one line per envelope operation and payload size: the mean cost relative to the native baseline
/// of the same category and size, and the bytes allocated per operation by each.
/// </summary>
internal static class RatioReport
{
    public const double Goal = 1.10;

    public static void Print(IEnumerable<Summary> summaries)
    {
        var lines = new List<string>();
        foreach (var summary in summaries)
        {
            var measured = summary.Reports.Where(r => r.Success && r.ResultStatistics is not null).ToList();
            var groups = measured.GroupBy(r => (
                Category: r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? r.BenchmarkCase.Descriptor.Type.Name,
                Parameters: r.BenchmarkCase.Parameters.DisplayInfo,
                Size: r.BenchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "PayloadSize")?.Value as int?));
            foreach (var group in groups)
            {
                var baseline = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
                if (baseline is null)
                {
                    continue;
                }

                foreach (var report in group.Where(r => !r.BenchmarkCase.Descriptor.Baseline))
                {
                    var stats = report.ResultStatistics!;
                    var native = baseline.ResultStatistics!;
                    var ratio = stats.Mean / native.Mean;

                    // Propagated relative error of the ratio from both 99.9% confidence half-widths.
                    var relative = Math.Sqrt(
                        Math.Pow(stats.ConfidenceInterval.Margin / stats.Mean, 2) +
                        Math.Pow(native.ConfidenceInterval.Margin / native.Mean, 2));
                    var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
                    var nativeAllocated = baseline.GcStats.GetBytesAllocatedPerOperation(baseline.BenchmarkCase) ?? -1;
                    var size = group.Key.Size is { } bytes ? SizeLabel(bytes) : group.Key.Parameters;
                    // On a shared machine interference only ever adds time: the median and minimum ratios are
                    // the more robust reading when the mean ratio's margin is wide.
                    var medianRatio = stats.Median / native.Median;
                    var minimumRatio = stats.Min / native.Min;
                    lines.Add(
                        $"{group.Key.Category.ToLowerInvariant()} {size} ratio={ratio:F3} (+/-{ratio * relative:F3}) " +
                        $"median-ratio={medianRatio:F3} min-ratio={minimumRatio:F3} " +
                        $"mean={Micro(stats.Mean)} native={Micro(native.Mean)} " +
                        $"allocated={allocated} B native-allocated={nativeAllocated} B " +
                        $"goal<={Goal:F2}: {(ratio <= Goal ? "met" : "NOT met")}");
                }
            }
        }

        if (lines.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("// * Envelope cost relative to the native libsodium calls *");
        foreach (var line in lines.OrderBy(l => l, StringComparer.Ordinal))
        {
            Console.WriteLine(line);
        }
    }

    private static string SizeLabel(int bytes) => bytes % 1024 == 0 ? $"{bytes / 1024}KB" : $"{bytes}B";

    private static string Micro(double nanoseconds) => $"{nanoseconds / 1000:F2}us";
}
