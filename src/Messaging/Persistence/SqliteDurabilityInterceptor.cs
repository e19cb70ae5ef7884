using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// Per-connection SQLite settings: <c>synchronous = FULL</c> (with WAL, a commit is on disk before it returns, so an
/// acknowledged item survives power loss and SIGKILL), foreign keys enforced, and waiting for a busy writer.
/// </summary>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

    public static SqliteDurabilityInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
