using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Raw SQL on the archive tables (migration 0003), for both engines: the archive's statements are few, hot and
/// multi-row, so they bypass EF Core's change tracker. A review id is bound as EF Core stores it: upper-case text on
/// SQLite, <c>uuid</c> on PostgreSQL. Times are <c>bigint</c> milliseconds (or seconds) since 1970 on both.
/// </summary>
internal static class ArchiveSql
{
    /// <summary>Most rows in one multi-row INSERT (well below either engine's parameter limit).</summary>
    public const int MaxRowsPerInsert = 200;

    public static bool IsSqlite(DbConnection connection) => connection is SqliteConnection;

    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/> (which may be null).</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from fixed fragments of this assembly and numbered parameter names, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The review id as this engine stores it.</summary>
    public static object Review(DbConnection connection, Guid review) =>
        IsSqlite(connection) ? review.ToString("D").ToUpperInvariant() : review;

    /// <summary>A review id read back.</summary>
    public static Guid ReadReview(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is Guid guid ? guid : Guid.Parse(reader.GetString(ordinal));

    public static long ReadLong(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long? ReadNullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadLong(reader, ordinal);

    public static byte[]? ReadNullableBytes(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        bind(command);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Opens the connection when closed; returns true when it did (the caller then closes it).</summary>
    public static async Task<bool> EnsureOpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            return false;
        }

        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
