using System.Globalization;

namespace SecureDialogue.Cli.Output;

/// <summary>How sdlg shows times: UTC, to the second.</summary>
internal static class Times
{
    public static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Describe(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return "expired";
        }

        return remaining.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)remaining.TotalHours} h {remaining.Minutes} min left")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)remaining.TotalMinutes)} min left");
    }
}
