using System.Data;
using System.Data.Common;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// Applies the engine's <see cref="SqlMigration"/>s that a database lacks, in one transaction, recording each in
/// <c>schema_migrations</c>. Running it again changes nothing. On PostgreSQL an advisory lock keeps two servers
/// starting together from racing; SQLite's write lock does the same.
/// </summary>
internal sealed partial class MigrationRunner(TimeProvider time, ILogger<MigrationRunner> logger)
{
    // Any fixed number: the key of the advisory lock that serialises migrations on one PostgreSQL database.
    private const long PostgresLockKey = 0x5344_4c47_0001;

    /// <summary>Brings the schema up to date; returns how many migrations were applied.</summary>
    /// <exception cref="DatabaseStartupException">The database is newer than this server, or a released script changed.</exception>
    public async Task<int> ApplyAsync(DbConnection connection, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        var migrations = SqlMigration.For(engine);
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        if (engine == DatabaseEngine.Sqlite)
        {
            // Persistent for the file: readers never block the writer, and a commit is durable once its WAL frame is synced.
            var mode = await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DatabaseStartupException($"SQLite refused write-ahead logging (journal_mode is '{mode}').");
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (engine == DatabaseEngine.Postgres)
        {
            await ScalarAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLockKey});", cancellationToken).ConfigureAwait(false);
        }

        var timeType = engine == DatabaseEngine.Postgres ? "timestamptz" : "TEXT";
        await ExecuteAsync(connection, transaction,
            $"CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at {timeType} NOT NULL);",
            cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<int, string>();
        await using (var command = Command(connection, transaction, "SELECT version, checksum FROM schema_migrations;"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = reader.GetString(1);
            }
        }

        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Keys.Any(v => !migrations.Any(m => m.Version == v)))
        {
            throw new DatabaseStartupException(
                $"The database is at schema version {applied.Keys.Max():D4}, newer than this server knows ({known:D4}): run a newer server, or restore a backup.");
        }

        foreach (var migration in migrations.Where(m => applied.ContainsKey(m.Version)))
        {
            if (!string.Equals(applied[migration.Version], migration.Checksum, StringComparison.Ordinal))
            {
                throw new DatabaseStartupException(
                    $"Migration {migration.Version:D4}_{migration.Name} differs from the script applied to this database: released migrations must not be edited.");
            }
        }

        var count = 0;
        foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection, transaction,
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @applied_at);");
            AddParameter(record, "@version", migration.Version);
            AddParameter(record, "@name", migration.Name);
            AddParameter(record, "@checksum", migration.Checksum);
            AddParameter(record, "@applied_at", time.GetUtcNow());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Log.Applied(logger, engine, migration.Version, migration.Name);
            count++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.UpToDate(logger, engine, known, count);
        return count;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Fixed SQL from this assembly's embedded scripts, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Applied {Engine} migration {Version}_{Name}")]
        public static partial void Applied(ILogger logger, DatabaseEngine engine, int version, string name);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Engine} schema at version {Version} ({Applied} migrations applied now)")]
        public static partial void UpToDate(ILogger logger, DatabaseEngine engine, int version, int applied);
    }
}
