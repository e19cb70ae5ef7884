using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Session;

/// <summary>Parses a server or issuer URL given on the command line: absolute <c>http</c> or <c>https</c>.</summary>
internal static class ServerUrl
{
    /// <summary>The environment variable naming the server when <c>sdlg login</c> gets no <c>--server</c>.</summary>
    public const string EnvironmentVariable = "SDLG_SERVER";

    /// <summary>A server base URL, with a trailing slash so relative routes resolve below it.</summary>
    public static Result<Uri, CommandFailure> ParseServer(string value, string option)
    {
        var parsed = Parse(value, option);
        if (!parsed.TryGetValue(out var uri, out _))
        {
            return parsed;
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
    }

    /// <summary>An absolute http(s) URL, unchanged.</summary>
    public static Result<Uri, CommandFailure> Parse(string value, string option)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return new CommandFailure(ExitCodes.Usage, $"{option} needs an http:// or https:// URL without query, not '{value}'");
        }

        return uri;
    }
}
