using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Accepts a focal point device's cosignature of a checkpoint (docs/protocol.md 16.5, docs/server.md "Archive"): the caller
/// may cosign (<see cref="CosignerRule"/>); the checkpoint is one this log signed (its log signature verifies and its
/// root is the log's root at its size); it carries a tlog-cosignature/v1 line of a registered, non-revoked device of
/// the caller that verifies with that device's card. The note, as submitted, is appended to the log as a Cosignature
/// entry in the same transaction that records it. Submitting the same cosignature again returns the first entry.
/// </summary>
internal sealed partial class CosignCheckpointCommand(
    MessagingDbContext db, ReviewAccess access, ArchiveKey key, ArchiveReader reader, ArchiveWriter writer, DeviceCardCache cards, TimeProvider time,
    ILogger<CosignCheckpointCommand> logger)
{
    public async Task<Outcome<CosignatureAccepted>> ExecuteAsync(Caller caller, Guid review, CosignCheckpoint? request, CancellationToken cancellationToken)
    {
        var outcome = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var membership, out var error))
        {
            return error;
        }

        if (!await CosignerRule.MayCosignAsync(db, membership, cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("Only the registered focal points of the review's States cosign its checkpoints.");
        }

        if (request?.Checkpoint is not { Length: > 0 and <= SignedCheckpoint.MaxEncodedSize } text)
        {
            return ApiErrors.BadRequest($"Send {{\"checkpoint\":\"...\"}} with a signed checkpoint of at most {SignedCheckpoint.MaxEncodedSize} characters.");
        }

        if (!SignedCheckpoint.Parse(text).TryGetValue(out var note, out var parseError))
        {
            return ApiErrors.InvalidCheckpoint($"The checkpoint does not parse ({parseError}).");
        }

        var ring = new ArchiveKeyRing(key.Keys);
        if (!note.Verify(ring, ArchiveOrigin.ForReview(review)).TryGetValue(out _, out var verifyError))
        {
            return ApiErrors.InvalidCheckpoint($"The checkpoint is not one this log signed for this review ({verifyError}).");
        }

        var size = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        if (note.TreeSize > size || !CryptographicOperations.FixedTimeEquals(await reader.RootAsync(review, note.TreeSize, cancellationToken).ConfigureAwait(false), note.RootHash))
        {
            return ApiErrors.InvalidCheckpoint("The checkpoint's root is not this log's root at its size.");
        }

        var cosigners = await CallerCosignersAsync(caller, note, cancellationToken).ConfigureAwait(false);
        if (cosigners.Count == 0)
        {
            return ApiErrors.InvalidCheckpoint("The checkpoint has no cosignature line of a registered, non-revoked device of the caller.");
        }

        if (!note.Verify(ring.WithCosigners(cosigners), ArchiveOrigin.ForReview(review)).TryGetValue(out var verified, out verifyError))
        {
            return ApiErrors.InvalidCheckpoint($"A cosignature line of the caller's device does not verify ({verifyError}).");
        }

        var cosignature = verified.Cosignatures[0];
        var deviceId = cosignature.Cosigner.Device!.Value.ToString();
        return await StoreAsync(review, note, text, deviceId, cosignature.Time, cancellationToken).ConfigureAwait(false);
    }

    // The caller's devices named by cosignature lines of the note.
    private async Task<List<CosignerKey>> CallerCosignersAsync(Caller caller, SignedCheckpoint note, CancellationToken cancellationToken)
    {
        var named = note.Signatures
            .Where(s => s.KeyName.StartsWith(CosignerKey.NamePrefix, StringComparison.Ordinal))
            .Select(s => s.KeyName[CosignerKey.NamePrefix.Length..])
            .Where(id => DeviceId.TryParse(id, out _))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (named.Length == 0)
        {
            return [];
        }

        var devices = await db.Devices
            .Where(d => named.Contains(d.DeviceId) && d.AccountId == caller.AccountId && d.RevokedAt == null)
            .Select(d => new { d.DeviceId, d.Card })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. devices.Select(d => cards.Decode(d.DeviceId, d.Card)).OfType<DevicePublicKeys>().Select(CosignerKey.ForDevice)];
    }

    private async Task<Outcome<CosignatureAccepted>> StoreAsync(Guid review, SignedCheckpoint note, string text, string deviceId, DateTimeOffset cosignedAt, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var connection = db.Database.GetDbConnection();
            var dbTransaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction);
            var existing = await ArchiveSql.ScalarAsync(connection, dbTransaction,
                "SELECT entry_idx FROM archive_cosignatures WHERE review_id = @r AND tree_size = @s AND device_id = @d AND cosigned_at = @t",
                c => Bind(c), cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return new CosignatureAccepted(Convert.ToInt64(existing, System.Globalization.CultureInfo.InvariantCulture), note.TreeSize, deviceId);
            }

            var index = await writer.AppendAsync(db, review,
                [ArchiveRecord.Stored(ArchiveEntryKind.Cosignature, System.Text.Encoding.UTF8.GetBytes(text), time.GetUtcNow())], cancellationToken).ConfigureAwait(false);
            await ArchiveSql.ExecuteAsync(connection, dbTransaction,
                "INSERT INTO archive_cosignatures (review_id, tree_size, device_id, cosigned_at, entry_idx) VALUES (@r, @s, @d, @t, @i)",
                c =>
                {
                    Bind(c);
                    ArchiveSql.Add(c, "@i", index);
                }, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.Cosigned(logger, review, note.TreeSize, deviceId, index);
            return new CosignatureAccepted(index, note.TreeSize, deviceId);

            void Bind(System.Data.Common.DbCommand c)
            {
                ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review));
                ArchiveSql.Add(c, "@s", note.TreeSize);
                ArchiveSql.Add(c, "@d", deviceId);
                ArchiveSql.Add(c, "@t", cosignedAt.ToUnixTimeSeconds());
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 621, Level = LogLevel.Information,
            Message = "Cosignature of review {ReviewId} at size {Size} by device {DeviceId} archived at index {Index}")]
        public static partial void Cosigned(ILogger logger, Guid reviewId, long size, string deviceId, long index);
    }
}
