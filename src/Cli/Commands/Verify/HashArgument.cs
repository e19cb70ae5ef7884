namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>Parses the 32-byte hashes of the auditor commands: exactly 64 lower-case hex digits.</summary>
internal static class HashArgument
{
    public static bool TryParse(string? text, out byte[] hash)
    {
        hash = [];
        if (text is null || text.Length != 64 || text.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return false;
        }

        hash = Convert.FromHexString(text);
        return true;
    }

    /// <summary>Parses every value or names the first bad one.</summary>
    public static bool TryParseAll(string name, IReadOnlyList<string>? texts, out List<byte[]> hashes, out string? error)
    {
        hashes = [];
        error = null;
        foreach (var text in texts ?? [])
        {
            if (!TryParse(text, out var hash))
            {
                error = $"{name} '{Shorten(text)}' is not 64 lower-case hex digits";
                return false;
            }

            hashes.Add(hash);
        }

        return true;
    }

    public static string Shorten(string? text) => text is null ? string.Empty : text.Length > 20 ? text[..20] + "..." : text;
}
