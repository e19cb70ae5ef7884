using Microsoft.Extensions.Options;
using Npgsql;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>Checks <see cref="DatabaseOptions"/> against the profile at start; every problem is reported at once.</summary>
internal sealed class DatabaseOptionsValidator(IOptions<ServerOptions> server) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        var profile = server.Value.ParsedProfile;
        if (!string.IsNullOrWhiteSpace(options.Engine) && !DatabaseOptions.TryParseEngine(options.Engine, out _))
        {
            failures.Add($"Database:Engine is '{options.Engine}'; use Sqlite or Postgres.");
        }

        var engine = options.EngineFor(profile);
        if (profile == ServerProfile.Production && engine != DatabaseEngine.Postgres)
        {
            failures.Add("The Production profile stores its data in PostgreSQL: remove Database:Engine or set it to Postgres.");
        }

        if (engine == DatabaseEngine.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("Database:ConnectionString is required for PostgreSQL (e.g. \"Host=db;Database=securedialogue;Username=sdlg;Password=...\").");
            }
            else if (!IsNpgsqlConnectionString(options.ConnectionString))
            {
                // The value may hold a password: never echo it.
                failures.Add("Database:ConnectionString is not a valid PostgreSQL (Npgsql) connection string with a Host.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"Database:ConnectionString is set but the engine is SQLite, which always uses DATA/{DatabaseOptions.SqliteFileName}: remove it, or set Database:Engine to Postgres.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsNpgsqlConnectionString(string value)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(value).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
