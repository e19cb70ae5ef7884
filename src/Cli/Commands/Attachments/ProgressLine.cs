using System.Globalization;
using SecureDialogue.Client.Attachments;

namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>
/// Shows a transfer's progress on standard error: on a terminal one line redrawn in place (at most 10 times a second)
/// with bytes, rate and time left; otherwise a plain line every 5% and at each phase change, so logs stay readable.
/// Standard output keeps only the result (text or <c>--json</c>).
/// </summary>
internal sealed class ProgressLine(CliContext context) : IProgress<TransferProgress>
{
    private readonly Lock _lock = new();
    private readonly long _started = context.Time.GetTimestamp();
    private TransferPhase? _phase;
    private long _phaseStarted;
    private long _lastDrawn;
    private int _lastPercent = -1;
    private bool _drawn;

    public void Report(TransferProgress value)
    {
        lock (_lock)
        {
            var now = context.Time.GetTimestamp();
            if (_phase != value.Phase)
            {
                EndLine();
                _phase = value.Phase;
                _phaseStarted = now;
                _lastPercent = -1;
            }

            var percent = value.Total == 0 ? 100 : (int)(value.Done * 100 / value.Total);
            var elapsed = context.Time.GetElapsedTime(_phaseStarted, now).TotalSeconds;
            var moved = value.Done - value.Resumed;
            var rate = elapsed > 0.2 && moved > 0 ? moved / elapsed : 0;
            var left = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : (TimeSpan?)null;
            var verb = value.Phase switch
            {
                TransferPhase.Uploading => "uploading",
                TransferPhase.Downloading => "downloading",
                _ => "verifying",
            };
            var resumed = value.Resumed > 0 ? $", resumed at {Bytes(value.Resumed)}" : "";
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{verb} {percent,3}%  {Bytes(value.Done)} of {Bytes(value.Total)}  {(rate > 0 ? Bytes((long)rate) + "/s" : "-")}  {(left is { } l ? Clock(l) + " left" : "")}{resumed}");
            if (context.ErrorIsTerminal)
            {
                if (value.Done < value.Total && context.Time.GetElapsedTime(_lastDrawn, now).TotalMilliseconds < 100 && _drawn)
                {
                    return;
                }

                context.Error.Write($"\r\u001b[2K{text}");
                _drawn = true;
                _lastDrawn = now;
            }
            else if (percent / 5 != _lastPercent / 5 || (value.Done == value.Total && _lastPercent != 100))
            {
                context.Error.WriteLine($"sdlg: {text}");
            }

            _lastPercent = percent;
        }
    }

    /// <summary>Ends the terminal line before the result is printed.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            EndLine();
        }
    }

    /// <summary>Seconds since the transfer began.</summary>
    public double ElapsedSeconds => context.Time.GetElapsedTime(_started).TotalSeconds;

    private void EndLine()
    {
        if (_drawn)
        {
            context.Error.WriteLine();
            _drawn = false;
        }
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static string Clock(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
}
