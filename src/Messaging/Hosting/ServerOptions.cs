namespace SecureDialogue.Messaging.Hosting;

/// <summary>Which deployment the server runs as.</summary>
internal enum ServerProfile
{
    /// <summary>One process, a SQLite file in the data directory, development sign-in. The default.</summary>
    Embedded,

    /// <summary>PostgreSQL and an external OpenID Connect provider; no development sign-in.</summary>
    Production,
}

/// <summary>
/// Server-wide settings (configuration section <c>Server</c>; <c>--profile</c> is a shortcut for <c>Server:Profile</c>).
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Server";

    /// <summary>The address clients use when none is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary><c>Embedded</c> (default) or <c>Production</c>.</summary>
    public string Profile { get; set; } = nameof(ServerProfile.Embedded);

    /// <summary>
    /// The base URL clients use to reach the server (e.g. behind a reverse proxy). Default: the first of <c>--urls</c>.
    /// The embedded profile's development issuer is this URL followed by <c>/dev</c>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Embedded profile only: seed an empty database with ILLUSTRATIVE demo data (States parties, reviews in several
    /// stages) so the secretariat's pages show something. <c>./run.sh</c> turns it on; ignored in production.
    /// </summary>
    public bool DemoData { get; set; }

    /// <summary>The parsed profile; <see cref="ServerProfile.Embedded"/> when <see cref="Profile"/> is not valid (validation reports it).</summary>
    public ServerProfile ParsedProfile => TryParseProfile(Profile, out var profile) ? profile : ServerProfile.Embedded;

    /// <summary>Parses a profile name, ignoring case.</summary>
    public static bool TryParseProfile(string? text, out ServerProfile profile) =>
        Enum.TryParse(text, ignoreCase: true, out profile) && Enum.IsDefined(profile) && !int.TryParse(text, out _);
}
