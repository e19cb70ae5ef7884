using System.Runtime.InteropServices;

namespace SecureDialogue.Bench;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, nanosecond
/// resolution). Time the thread spends descheduled while other processes run is not counted, which is what
/// makes it usable on a shared machine. Gen0/gen1 collections run on the allocating thread, so their cost is
/// included.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && TryNow(out _);

    /// <summary>Nanoseconds of CPU time used by this thread so far.</summary>
    public static long NowNanoseconds() => TryNow(out var now) ? now : throw new PlatformNotSupportedException("clock_gettime failed.");

    private static bool TryNow(out long nanoseconds)
    {
        nanoseconds = 0;
        try
        {
            if (clock_gettime(ClockThreadCpuTimeId, out var time) != 0)
            {
                return false;
            }

            nanoseconds = (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
