using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// Per-connection SQLite settings: <c>synchronous = FULL</c> (with WAL, a commit is on disk before it returns, so an
/// acknowledged item survives power loss and SIGKILL), foreign keys enforced, and waiting for a busy writer.
/// </summary>
/// <remarks>
/// The settings belong to the native connection, which Microsoft.Data.Sqlite's pool keeps open across
/// <c>Open</c>/<c>Close</c>; nothing in the server changes them. They are applied once per native connection (the
/// first time the pool hands it out) rather than on every open: an accepted envelope opens a connection twice.
/// </remarks>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

    // Native connections already set up (weak: a handle the pool closes is collected with its entry).
    private static readonly ConditionalWeakTable<object, object> s_configured = [];

    public static SqliteDurabilityInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsSetup(connection, out var handle))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Configured(handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsSetup(connection, out var handle))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Configured(handle);
    }

    private static bool NeedsSetup(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !s_configured.TryGetValue(handle, out _);
    }

    private static void Configured(object? handle)
    {
        if (handle is not null)
        {
            s_configured.AddOrUpdate(handle, handle);
        }
    }
}
