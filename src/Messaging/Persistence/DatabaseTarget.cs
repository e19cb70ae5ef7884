using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>The engine and connection string in effect (validated options, resolved against the data directory).</summary>
internal sealed class DatabaseTarget(IOptions<DatabaseOptions> database, IOptions<ServerOptions> server, IOptions<DataDirectoryOptions> data)
{
    public DatabaseEngine Engine => database.Value.EngineFor(server.Value.ParsedProfile);

    /// <summary>The connection string; for SQLite, the file in the data directory.</summary>
    public string ConnectionString => Engine == DatabaseEngine.Sqlite
        ? new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(data.Value.Directory, DatabaseOptions.SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString()
        : database.Value.ConnectionString!;

    /// <summary>Points a context at this database.</summary>
    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            builder.UseSqlite(ConnectionString).AddInterceptors(SqliteDurabilityInterceptor.Instance);
        }
        else
        {
            builder.UseNpgsql(ConnectionString);
        }

        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
    }
}
