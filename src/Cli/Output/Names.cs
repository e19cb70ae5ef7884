using System.Text;

namespace SecureDialogue.Cli.Output;

/// <summary>Enum values as sdlg prints and parses them: kebab-case (<c>RequestForClarification</c> ↔ <c>request-for-clarification</c>).</summary>
internal static class Names
{
    public static string Kebab<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Kebab(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string All<T>(Func<T, bool>? include = null)
        where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => include?.Invoke(v) ?? true).Select(v => Kebab(v)));
}
