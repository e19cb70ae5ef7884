using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Appends to review logs, always inside the transaction of the event recorded: an event and its entry commit or
/// roll back together, so an acknowledged envelope is always in the log and a retried one (found as a duplicate) is
/// never logged twice. Per review and call: the log's row is locked (<c>UPDATE ... RETURNING size</c>; SQLite holds
/// the database write lock anyway), the entries are inserted in one multi-row statement, and <see cref="MerkleLog"/>
/// reads the right edge once and writes the new nodes in one more (docs/server.md "Archive").
/// </summary>
internal sealed class ArchiveWriter(CheckpointSignal signal)
{
    // Each log's envelope form is fixed when the log is created (migration 0011), so it is read once per review.
    private readonly ConcurrentDictionary<Guid, EnvelopeEntryForm> _forms = new();

    /// <summary>
    /// Creates the (empty) log of a new review, in the review's transaction. New logs record envelopes by their summary
    /// (docs/protocol.md 16.2.1); logs created before migration 0011 keep the whole envelope.
    /// </summary>
    public static async Task CreateLogAsync(MessagingDbContext db, Guid review, CancellationToken cancellationToken)
    {
        var (connection, transaction) = Current(db);
        await ArchiveSql.ExecuteAsync(connection, transaction, "INSERT INTO archive_logs (review_id, size, envelope_form) VALUES (@r, 0, 1)",
            c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How <paramref name="review"/>'s log records envelopes: <see cref="EnvelopeEntryForm.Summary"/> for a log created
    /// since migration 0011 (or not created yet: it will be), <see cref="EnvelopeEntryForm.WholeEnvelope"/> for older ones.
    /// </summary>
    public async Task<EnvelopeEntryForm> EnvelopeFormAsync(MessagingDbContext db, Guid review, CancellationToken cancellationToken)
    {
        if (_forms.TryGetValue(review, out var known))
        {
            return known;
        }

        var (connection, transaction) = Current(db);
        var value = await ArchiveSql.ScalarAsync(connection, transaction, "SELECT envelope_form FROM archive_logs WHERE review_id = @r",
            c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return EnvelopeEntryForm.Summary;
        }

        var form = (EnvelopeEntryForm)Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture);
        _forms.TryAdd(review, form);
        return form;
    }

    /// <summary>
    /// Appends <paramref name="records"/> to <paramref name="review"/>'s log in <paramref name="db"/>'s current
    /// transaction and returns the index of the first. The caller commits (or rolls back) the transaction.
    /// </summary>
    public async Task<long> AppendAsync(MessagingDbContext db, Guid review, IReadOnlyList<ArchiveRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var (connection, transaction) = Current(db);
        var reviewValue = ArchiveSql.Review(connection, review);
        var size = await LockAsync(connection, transaction, reviewValue, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            return size;
        }

        var leaves = new List<ReadOnlyMemory<byte>>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Target is { } target && target >= size + i)
            {
                throw new ArgumentException("A correction or retraction names an earlier entry.", nameof(records));
            }

            leaves.Add(records[i].LeafHash(review, size + i));
        }

        await InsertEntriesAsync(connection, transaction, reviewValue, size, records, cancellationToken).ConfigureAwait(false);
        var log = new MerkleLog(new DbMerkleNodeStore(connection, transaction, review, size));
        await log.AppendAsync(size, leaves, cancellationToken).ConfigureAwait(false);
        signal.Appended(review);
        return size;
    }

    private static (DbConnection Connection, DbTransaction Transaction) Current(MessagingDbContext db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Archive appends happen in the transaction of the event they record.");
        return (db.Database.GetDbConnection(), transaction);
    }

    // Takes the log's row (the per-review append lock on PostgreSQL) and reads its size; creates a missing row.
    private static async Task<long> LockAsync(DbConnection connection, DbTransaction transaction, object review, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var size = await ArchiveSql.ScalarAsync(connection, transaction, "UPDATE archive_logs SET size = size WHERE review_id = @r RETURNING size",
                c => ArchiveSql.Add(c, "@r", review), cancellationToken).ConfigureAwait(false);
            if (size is not null)
            {
                return Convert.ToInt64(size, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (attempt > 0)
            {
                throw new InvalidOperationException("The review has no archive log.");
            }

            await ArchiveSql.ExecuteAsync(connection, transaction, "INSERT INTO archive_logs (review_id, size, envelope_form) VALUES (@r, 0, 1) ON CONFLICT (review_id) DO NOTHING",
                c => ArchiveSql.Add(c, "@r", review), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertEntriesAsync(
        DbConnection connection, DbTransaction transaction, object review, long first, IReadOnlyList<ArchiveRecord> records, CancellationToken cancellationToken)
    {
        var postgres = !ArchiveSql.IsSqlite(connection);
        for (var start = 0; start < records.Count; start += ArchiveSql.MaxRowsPerInsert)
        {
            var count = Math.Min(ArchiveSql.MaxRowsPerInsert, records.Count - start);
            var sql = new StringBuilder(
                "INSERT INTO archive_entries (review_id, idx, kind, received_at, target, form, payload_length, payload_sha256, channel, source_number, payload) VALUES ");
            await using var command = ArchiveSql.Command(connection, transaction, string.Empty);
            ArchiveSql.Add(command, "@r", review);
            for (var i = 0; i < count; i++)
            {
                var record = records[start + i];
                sql.Append(i == 0 ? "(@r" : ", (@r");
                foreach (var column in Columns)
                {
                    sql.Append(", @").Append(column).Append(i);
                }

                sql.Append(')');
                ArchiveSql.Add(command, $"@i{i}", first + start + i);
                ArchiveSql.Add(command, $"@k{i}", postgres ? (short)record.Kind : (long)record.Kind);
                ArchiveSql.Add(command, $"@t{i}", record.ReceivedAt.ToUnixTimeMilliseconds());
                ArchiveSql.Add(command, $"@g{i}", record.Target);
                ArchiveSql.Add(command, $"@f{i}", postgres ? (short)record.Form : (long)record.Form);
                ArchiveSql.Add(command, $"@n{i}", record.PayloadLength);
                ArchiveSql.Add(command, $"@d{i}", record.Digest);
                ArchiveSql.Add(command, $"@c{i}", record.Channel);
                ArchiveSql.Add(command, $"@s{i}", record.SourceNumber);
                ArchiveSql.Add(command, $"@p{i}", record.Source == PayloadSource.Row ? record.Payload.ToArray() : null);
            }

#pragma warning disable CA2100 // Fixed fragments and numbered parameters.
            command.CommandText = sql.ToString();
#pragma warning restore CA2100
            SetNullTypes(command, postgres);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly string[] Columns = ["i", "k", "t", "g", "f", "n", "d", "c", "s", "p"];

    // PostgreSQL cannot infer the type of an untyped NULL parameter in a VALUES list of several rows.
    private static void SetNullTypes(DbCommand command, bool postgres)
    {
        if (!postgres)
        {
            return;
        }

        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is DBNull)
            {
                parameter.DbType = parameter.ParameterName[1] switch
                {
                    'g' or 's' => System.Data.DbType.Int64,
                    'c' => System.Data.DbType.String,
                    _ => System.Data.DbType.Binary,
                };
            }
        }
    }
}
