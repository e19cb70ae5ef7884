using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>The database engines the server runs on.</summary>
internal enum DatabaseEngine
{
    /// <summary>A SQLite file in the data directory (WAL, synchronous=FULL).</summary>
    Sqlite,

    /// <summary>PostgreSQL (version 15 is tested).</summary>
    Postgres,
}

/// <summary>
/// Where state is kept (configuration section <c>Database</c>). The embedded profile uses
/// <c>DATA/securedialogue.db</c>; production needs <see cref="ConnectionString"/> to a PostgreSQL database.
/// </summary>
internal sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Database";

    /// <summary>The SQLite file name inside the data directory.</summary>
    public const string SqliteFileName = "securedialogue.db";

    /// <summary>
    /// <c>Sqlite</c> or <c>Postgres</c>. Default: Sqlite for the embedded profile, Postgres for production (which
    /// accepts nothing else). The embedded profile may use PostgreSQL for development and tests.
    /// </summary>
    public string? Engine { get; set; }

    /// <summary>An Npgsql connection string (PostgreSQL only).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The engine in effect for <paramref name="profile"/>.</summary>
    public DatabaseEngine EngineFor(ServerProfile profile) =>
        TryParseEngine(Engine, out var engine) ? engine
        : profile == ServerProfile.Production ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite;

    /// <summary>Parses an engine name, ignoring case; null or empty means the profile's default.</summary>
    public static bool TryParseEngine(string? text, out DatabaseEngine engine)
    {
        engine = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _) &&
               Enum.TryParse(text, ignoreCase: true, out engine) && Enum.IsDefined(engine);
    }
}
