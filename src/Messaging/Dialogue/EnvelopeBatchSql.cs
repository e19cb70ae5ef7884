using System.Data.Common;
using System.Globalization;
using System.Text;
using SecureDialogue.Messaging.Archive;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// The statements of one <see cref="EnvelopeWriter"/> batch, as raw ADO.NET on the batch's connection and transaction
/// (the writer's per-envelope work was mostly EF Core's change tracking, SQL generation and materialisation). Values
/// are bound as EF Core stores them (<see cref="ArchiveSql.Review"/>: upper-case text GUIDs on SQLite, <c>uuid</c> on
/// PostgreSQL; <c>DateTimeOffset</c> as Microsoft.Data.Sqlite and Npgsql bind it, the same text and
/// <c>timestamptz</c> EF Core writes). The sender lookup is one command re-executed per item with new values, so
/// SQLite parses it once per batch. Not thread-safe: one instance per batch.
/// </summary>
internal sealed class EnvelopeBatchSql(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private DbCommand? _history;

    /// <summary>Takes the channel's row and reads its state in one statement; null when there is no such channel.</summary>
    public async Task<(long LastSequence, long? CurrentEpoch)?> LockChannelAsync(Guid review, string channel, CancellationToken cancellationToken)
    {
        await using var command = ArchiveSql.Command(connection, transaction,
            "UPDATE channels SET last_sequence = last_sequence WHERE review_id = @r AND name = @c RETURNING last_sequence, current_epoch");
        ArchiveSql.Add(command, "@r", Id(review));
        ArchiveSql.Add(command, "@c", channel);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (ArchiveSql.ReadLong(reader, 0), ArchiveSql.ReadNullableLong(reader, 1));
    }

    /// <summary>The sequence of the sender's client message id, if stored, and the sender's last counter (two index lookups).</summary>
    public async Task<(long? Sequence, long? LastCounter)> SenderHistoryAsync(Guid review, string channel, string sender, Guid messageId, CancellationToken cancellationToken)
    {
        if (_history is null)
        {
            _history = ArchiveSql.Command(connection, transaction,
                "SELECT (SELECT sequence FROM envelopes WHERE review_id = @r AND channel = @c AND sender_device = @s AND client_message_id = @m), " +
                "(SELECT MAX(counter) FROM envelopes WHERE review_id = @r AND channel = @c AND sender_device = @s)");
            ArchiveSql.Add(_history, "@r", null);
            ArchiveSql.Add(_history, "@c", null);
            ArchiveSql.Add(_history, "@s", null);
            ArchiveSql.Add(_history, "@m", null);
        }

        _history.Parameters[0].Value = Id(review);
        _history.Parameters[1].Value = channel;
        _history.Parameters[2].Value = sender;
        _history.Parameters[3].Value = Id(messageId);
        await using var reader = await _history.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (ArchiveSql.ReadNullableLong(reader, 0), ArchiveSql.ReadNullableLong(reader, 1));
    }

    /// <summary>Inserts <paramref name="rows"/> in multi-row statements.</summary>
    public async Task InsertAsync(IReadOnlyList<NewEnvelope> rows, CancellationToken cancellationToken)
    {
        for (var start = 0; start < rows.Count; start += ArchiveSql.MaxRowsPerInsert)
        {
            var count = Math.Min(ArchiveSql.MaxRowsPerInsert, rows.Count - start);
            var sql = new StringBuilder(
                "INSERT INTO envelopes (review_id, channel, sequence, sender_device, counter, client_message_id, epoch, envelope, stored_at) VALUES ");
            await using var command = ArchiveSql.Command(connection, transaction, string.Empty);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "(" : ", (")
                    .Append("@r").Append(n).Append(", @c").Append(n).Append(", @q").Append(n).Append(", @s").Append(n).Append(", @k").Append(n)
                    .Append(", @m").Append(n).Append(", @e").Append(n).Append(", @b").Append(n).Append(", @t").Append(n).Append(')');
                ArchiveSql.Add(command, "@r" + n, Id(row.Review));
                ArchiveSql.Add(command, "@c" + n, row.Channel);
                ArchiveSql.Add(command, "@q" + n, row.Sequence);
                ArchiveSql.Add(command, "@s" + n, row.Sender);
                ArchiveSql.Add(command, "@k" + n, row.Counter);
                ArchiveSql.Add(command, "@m" + n, Id(row.MessageId));
                ArchiveSql.Add(command, "@e" + n, row.Epoch);
                ArchiveSql.Add(command, "@b" + n, row.Envelope);
                ArchiveSql.Add(command, "@t" + n, row.StoredAt);
            }

#pragma warning disable CA2100 // Fixed fragments and numbered parameters.
            command.CommandText = sql.ToString();
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the channel's last sequence (its row is already taken).</summary>
    public async Task SetLastSequenceAsync(Guid review, string channel, long lastSequence, CancellationToken cancellationToken) =>
        await ArchiveSql.ExecuteAsync(connection, transaction, "UPDATE channels SET last_sequence = @q WHERE review_id = @r AND name = @c",
            c =>
            {
                ArchiveSql.Add(c, "@q", lastSequence);
                ArchiveSql.Add(c, "@r", Id(review));
                ArchiveSql.Add(c, "@c", channel);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_history is not null)
        {
            await _history.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A GUID as EF Core stores it on this engine.
    private object Id(Guid id) => ArchiveSql.Review(connection, id);

    /// <summary>An envelope row to insert.</summary>
    internal readonly record struct NewEnvelope(
        Guid Review, string Channel, long Sequence, string Sender, long Counter, Guid MessageId, long Epoch, byte[] Envelope, DateTimeOffset StoredAt);
}
