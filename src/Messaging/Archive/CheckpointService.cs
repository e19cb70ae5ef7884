using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Signs and serves a review log's checkpoints (docs/protocol.md 16.4). A checkpoint is only ever signed for a
/// committed size with the root <see cref="MerkleLog"/> computes from the stored nodes, so two checkpoints of one log
/// are always consistent. Every signed checkpoint is kept (<c>archive_checkpoints</c>, append-only).
/// </summary>
internal sealed partial class CheckpointService(IServiceScopeFactory scopes, ArchiveKey key, TimeProvider time, ILogger<CheckpointService> logger)
{
    /// <summary>Signs the log's current tree now (a fresh time even when the size did not change) and stores the checkpoint.</summary>
    public async Task<SignedCheckpoint> SignCurrentAsync(Guid review, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var connection = db.Database.GetDbConnection();
                var store = new DbMerkleNodeStore(connection, null, review);
                var log = new MerkleLog(store);
                var size = await log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
                var root = await log.GetRootAsync(size, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var checkpoint = key.Signer.Sign(ArchiveOrigin.ForReview(review), size, root, now);
                await ArchiveSql.ExecuteAsync(connection, null,
                    "INSERT INTO archive_checkpoints (review_id, tree_size, signed_at, note) VALUES (@r, @s, @t, @n) ON CONFLICT DO NOTHING",
                    c =>
                    {
                        ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review));
                        ArchiveSql.Add(c, "@s", size);
                        ArchiveSql.Add(c, "@t", now.ToUnixTimeSeconds());
                        ArchiveSql.Add(c, "@n", checkpoint.Text);
                    },
                    cancellationToken).ConfigureAwait(false);
                Log.Signed(logger, review, size);
                return checkpoint;
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The checkpoint of the log's current size: the latest signing stored, or a new one when the log grew since the
    /// last checkpoint (at most one signing per append, so clients always see every committed entry covered).
    /// </summary>
    public async Task<string> LatestAsync(MessagingDbContext db, Guid review, long logSize, CancellationToken cancellationToken)
    {
        var stored = await QueryNoteAsync(db, review,
            "SELECT note FROM archive_checkpoints WHERE review_id = @r AND tree_size >= @s ORDER BY tree_size DESC, signed_at DESC LIMIT 1", logSize, cancellationToken).ConfigureAwait(false);
        return stored ?? (await SignCurrentAsync(review, cancellationToken).ConfigureAwait(false)).Text;
    }

    /// <summary>
    /// The latest signing of the smallest tree of at least <paramref name="size"/> leaves; when none is signed yet but
    /// the log has that many entries, the current tree is signed now (so a client never waits for the schedule).
    /// Null when the log is smaller than <paramref name="size"/>.
    /// </summary>
    public async Task<string?> AtLeastAsync(MessagingDbContext db, Guid review, long size, long logSize, CancellationToken cancellationToken)
    {
        if (size > logSize)
        {
            return null;
        }

        var stored = await QueryNoteAsync(db, review,
            "SELECT note FROM archive_checkpoints WHERE review_id = @r AND tree_size >= @s ORDER BY tree_size, signed_at DESC LIMIT 1", size, cancellationToken).ConfigureAwait(false);
        return stored ?? (await SignCurrentAsync(review, cancellationToken).ConfigureAwait(false)).Text;
    }

    private static async Task<string?> QueryNoteAsync(MessagingDbContext db, Guid review, string sql, long? size, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            return (string?)await ArchiveSql.ScalarAsync(connection, null, sql, c =>
            {
                ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review));
                if (size is { } s)
                {
                    ArchiveSql.Add(c, "@s", s);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 611, Level = LogLevel.Debug, Message = "Signed the checkpoint of review {ReviewId} at size {Size}")]
        public static partial void Signed(ILogger logger, Guid reviewId, long size);
    }
}
