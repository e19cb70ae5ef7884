using System.Diagnostics;

namespace SecureDialogue.Bench;

/// <summary>
/// A cross-check of the BenchmarkDotNet ratios that tolerates a busy machine: envelope and native calls run in
/// the same process in alternating blocks of a few milliseconds, so that other load hits both sides of each
/// pair alike, and the ratio is the median of the per-pair ratios. Each block is timed twice: by wall clock,
/// and by the thread's own CPU time (<see cref="ThreadCpuClock"/>, Linux), which leaves out the time other
/// processes hold the core and is the figure to quote on a loaded machine. Started with <c>--paired</c>.
/// </summary>
internal static class PairedRun
{
    private static readonly TimeSpan s_blockTime = TimeSpan.FromMilliseconds(10);

    public static void Run(int rounds)
    {
        Console.WriteLine($"// * Paired run: {rounds} alternating blocks of ~{s_blockTime.TotalMilliseconds} ms per side *");
        foreach (var size in new[] { 1024, 65536 })
        {
            using var benchmarks = new EnvelopeBenchmarks { PayloadSize = size };
            benchmarks.Setup();
            Measure("seal", size, rounds, () => benchmarks.Seal(), () => benchmarks.SealNative());
            Measure("open", size, rounds, () => benchmarks.Open(), () => benchmarks.OpenNative());
        }

        // Attachments (issue 4): the library's stream-to-stream encryption and decryption of a 1 MiB file against bare
        // libsodium secretstream plus the format's two BLAKE2b-256 hashes over the same chunks.
        using (var attachments = new AttachmentBenchmarks { FileSize = 1 << 20 })
        {
            attachments.Setup();
            Measure("attachment encrypt", 1 << 20, rounds, attachments.Encrypt, attachments.EncryptNative);
            Measure("attachment decrypt", 1 << 20, rounds, attachments.Decrypt, attachments.DecryptNative);
        }
    }

    private static void Measure(string name, int size, int rounds, Action envelope, Action native)
    {
        var n = Calibrate(envelope);
        Block(envelope, n * 20);
        Block(native, n * 20);

        var ratios = new double[rounds];
        var cpuRatios = new double[rounds];
        var envelopeTimes = new double[rounds];
        var nativeTimes = new double[rounds];
        var envelopeCpu = new double[rounds];
        var nativeCpu = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            // Alternate which side goes first, so neither always follows the other.
            if (r % 2 == 0)
            {
                (envelopeTimes[r], envelopeCpu[r]) = Block(envelope, n);
                (nativeTimes[r], nativeCpu[r]) = Block(native, n);
            }
            else
            {
                (nativeTimes[r], nativeCpu[r]) = Block(native, n);
                (envelopeTimes[r], envelopeCpu[r]) = Block(envelope, n);
            }

            ratios[r] = envelopeTimes[r] / nativeTimes[r];
            cpuRatios[r] = envelopeCpu[r] / nativeCpu[r];
        }

        var allocated = Allocated(envelope, n);
        var nativeAllocated = Allocated(native, n);
        Array.Sort(ratios);
        Array.Sort(cpuRatios);
        var cpu = ThreadCpuClock.IsSupported
            ? $"cpu-ratio={Quantile(cpuRatios, 0.5):F3} (IQR {Quantile(cpuRatios, 0.25):F3}-{Quantile(cpuRatios, 0.75):F3}) " +
              $"cpu={Median(envelopeCpu):F2}us native-cpu={Median(nativeCpu):F2}us "
            : string.Empty;
        Console.WriteLine(
            $"paired {name} {size / 1024}KB {cpu}" +
            $"wall-ratio={Quantile(ratios, 0.5):F3} (IQR {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3}) " +
            $"wall={Median(envelopeTimes):F2}us native-wall={Median(nativeTimes):F2}us " +
            $"allocated={allocated:F0} B native-allocated={nativeAllocated:F0} B");
    }

    private static int Calibrate(Action action)
    {
        var n = 1;
        while (true)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                action();
            }

            if (stopwatch.Elapsed >= s_blockTime)
            {
                return n;
            }

            n *= 2;
        }
    }

    /// <summary>Wall-clock and thread-CPU microseconds per call over a block of <paramref name="n"/> calls.</summary>
    private static (double Wall, double Cpu) Block(Action action, int n)
    {
        var cpuStart = ThreadCpuClock.IsSupported ? ThreadCpuClock.NowNanoseconds() : 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            action();
        }

        var wall = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
        var cpu = ThreadCpuClock.IsSupported ? (ThreadCpuClock.NowNanoseconds() - cpuStart) / 1000.0 / n : double.NaN;
        return (wall, cpu);
    }

    private static double Allocated(Action action, int n)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)n;
    }

    private static double Median(double[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Quantile(sorted, 0.5);
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
