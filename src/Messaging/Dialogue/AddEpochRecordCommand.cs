using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// Stores the next epoch record of a channel. The server keeps the chain in order and refuses what clients would
/// refuse anyway, but decides nothing about trust: every client verifies the chain itself (<see cref="EpochChain"/>).
/// Accepted: a well-formed record for the route's review and channel, authored by a registered device of the caller
/// (a member who may post there; for epoch 0 a member of the State that opens the channel), listing only registered
/// devices of the channel's readers (secretariat devices only in a channel the disclosure policy names, never managing), validly signed by its author, and, for the channel's next epoch, linked by hash
/// to the current record whose author entry may manage. Anything else about the chain is an EpochConflict.
/// </summary>
internal sealed partial class AddEpochRecordCommand(
    MessagingDbContext db, ReviewAccess access, DialogueNotifier notifier, Archive.ArchiveWriter archive, TimeProvider time, ILogger<AddEpochRecordCommand> logger)
{
    public async Task<Outcome<EpochRecordEntry>> ExecuteAsync(Caller caller, Guid reviewId, string channel, byte[]? encoded, CancellationToken cancellationToken)
    {
        var outcome = await CheckAsync(caller, reviewId, channel, encoded, cancellationToken).ConfigureAwait(false);
        if (outcome.TryGet(out var record, out var error))
        {
            var stored = await StoreAsync(reviewId, channel, record, cancellationToken).ConfigureAwait(false);
            if (stored.TryGet(out var entry, out error))
            {
                Log.Added(logger, reviewId, channel, record.Epoch, record.Author, record.Members.Length, encoded!.Length);
                await notifier.EpochAddedAsync(reviewId, channel, record.Epoch).ConfigureAwait(false);
                return entry;
            }
        }

        Log.Refused(logger, reviewId, ChannelRules.Exists(channel) ? channel : "(unknown)", caller.AccountId, error.Code, encoded?.Length ?? 0);
        return error;
    }

    private async Task<Outcome<EpochRecord>> CheckAsync(Caller caller, Guid reviewId, string channel, byte[]? encoded, CancellationToken cancellationToken)
    {
        var access1 = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Post, cancellationToken).ConfigureAwait(false);
        if (!access1.TryGet(out var membership, out var denied))
        {
            return denied;
        }

        if (encoded is null || encoded.Length == 0 || encoded.Length > EpochRecord.MaxEncodedSize)
        {
            return ApiErrors.BadRequest($"Send {{\"record\":\"BASE64\"}} with an epoch record of at most {EpochRecord.MaxEncodedSize} bytes.");
        }

        var decoded = EpochRecord.Decode(encoded);
        if (!decoded.TryGetValue(out var record, out var formatError))
        {
            return ApiErrors.BadRequest($"The epoch record is not valid ({formatError}).");
        }

        if (record.Review != reviewId || record.Channel.Value != channel)
        {
            return ApiErrors.WrongContext("The record names another review or channel than the route.");
        }

        if (record.Epoch == 0 && !membership.MayOpen(channel))
        {
            return ApiErrors.Forbidden(channel == ChannelId.Dialogue.Value
                ? "Epoch 0 of the dialogue channel is opened by a member of the State under review."
                : "Epoch 0 of the reviewers channel is opened by a member of a reviewing State.");
        }

        var listed = record.Members.Select(m => m.Device.Id.ToString()).ToArray();
        var author = record.Author.ToString();
        var devices = await db.Devices
            .Where(d => listed.Contains(d.DeviceId) || d.DeviceId == author)
            .Select(d => new { d.DeviceId, d.AccountId, d.RevokedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (!devices.Any(d => d.DeviceId == author && d.AccountId == caller.AccountId && d.RevokedAt is null))
        {
            return ApiErrors.Forbidden("The record's author is not a registered device of the caller.");
        }

        if (!await ListsOnlyReadersAsync(reviewId, channel, record, devices.Where(d => d.RevokedAt is null).ToDictionary(d => d.DeviceId, d => d.AccountId), cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("The record lists a device that is not a registered device of a member who reads this channel (secretariat devices: only in a channel the disclosure policy names, never managing).");
        }

        if (listed.Distinct(StringComparer.Ordinal).Count() != listed.Length ||
            record.HistoryGrants.Any(g => record.FindMember(g.Recipient) is null) ||
            record.HistoryGrants.Select(g => g.Recipient).Distinct().Count() != record.HistoryGrants.Length)
        {
            return ApiErrors.EpochConflict("The record lists a device twice or grants history to a non-member.");
        }

        if (!record.HasValidAuthorSignature())
        {
            return ApiErrors.EpochConflict("The record's signature does not verify with its author's listed card.");
        }

        return record;
    }

    // Every listed device is a registered device of a member who reads the channel; a secretariat device only where the
    // current disclosure policy names the channel, and never as a manager (the secretariat does not author records).
    private async Task<bool> ListsOnlyReadersAsync(Guid reviewId, string channel, EpochRecord record, Dictionary<string, Guid> owners, CancellationToken cancellationToken)
    {
        var listed = record.Members.Select(m => (Id: m.Device.Id.ToString(), m.MayManage)).ToList();
        if (listed.Any(l => !owners.ContainsKey(l.Id)))
        {
            return false;
        }

        var accounts = listed.Select(l => owners[l.Id]).Distinct().ToArray();
        var members = await db.ReviewMembers
            .Where(m => m.ReviewId == reviewId && accounts.Contains(m.AccountId))
            .Select(m => new { m.AccountId, m.Role, m.StateCode })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var states = await db.ReviewStates.Where(s => s.ReviewId == reviewId).ToDictionaryAsync(s => s.StateCode, s => s.Role, cancellationToken).ConfigureAwait(false);
        var secretariatChannels = members.Any(m => m.Role == MemberRole.Secretariat)
            ? await DisclosurePolicies.SecretariatChannelsAsync(db, reviewId, cancellationToken).ConfigureAwait(false)
            : [];
        return listed.All(l => members.Any(m => m.AccountId == owners[l.Id] &&
            !(l.MayManage && m.Role == MemberRole.Secretariat) &&
            ChannelRules.Reads(channel, m.Role, m.StateCode is not null && states.TryGetValue(m.StateCode, out var role) ? role : null, secretariatChannels)));
    }

    private async Task<Outcome<EpochRecordEntry>> StoreAsync(Guid reviewId, string channel, EpochRecord record, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            long? previousEpoch = record.Epoch == 0 ? null : record.Epoch - 1L;

            // Moving the channel's current epoch from exactly the previous one is the concurrency guard: of two
            // authors racing for the same epoch, one wins and the other gets EpochConflict and refetches.
            var moved = await db.Channels
                .Where(c => c.ReviewId == reviewId && c.Name == channel && c.CurrentEpoch == previousEpoch)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CurrentEpoch, (long?)record.Epoch), cancellationToken).ConfigureAwait(false);
            if (moved != 1)
            {
                var current = await db.Channels
                    .Where(c => c.ReviewId == reviewId && c.Name == channel)
                    .Select(c => c.CurrentEpoch)
                    .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                return ApiErrors.EpochConflict(current is null
                    ? "The channel has no epoch yet: send epoch 0."
                    : $"The channel is at epoch {current}: fetch it and send epoch {current + 1} linked to it.");
            }

            if (previousEpoch is null)
            {
                if (record.PreviousRecordHash.Span.IndexOfAnyExcept((byte)0) >= 0)
                {
                    return ApiErrors.EpochConflict("Epoch 0 links to no previous record (32 zero bytes).");
                }
            }
            else
            {
                var previous = await db.EpochRecords
                    .Where(r => r.ReviewId == reviewId && r.Channel == channel && r.Epoch == previousEpoch)
                    .Select(r => new { r.Record, r.RecordHash })
                    .SingleAsync(cancellationToken).ConfigureAwait(false);
                if (!CryptographicOperations.FixedTimeEquals(previous.RecordHash, record.PreviousRecordHash.Span))
                {
                    return ApiErrors.EpochConflict("The record does not link to the channel's current record.");
                }

                if (!EpochRecord.Decode(previous.Record).TryGetValue(out var previousRecord, out _) ||
                    previousRecord.FindMember(record.Author) is not { MayManage: true })
                {
                    return ApiErrors.EpochConflict("The record's author may not manage the channel in the current epoch.");
                }
            }

            var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            db.EpochRecords.Add(new EpochRecordEntity
            {
                ReviewId = reviewId,
                Channel = channel,
                Epoch = record.Epoch,
                AuthorDevice = record.Author.ToString(),
                Record = record.Encoded.ToArray(),
                RecordHash = record.Hash,
                StoredAt = storedAt,
            });
            long archiveIndex;
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                archiveIndex = await archive.AppendAsync(
                    db, reviewId, [Archive.ArchiveRecord.EpochRecord(channel, record.Epoch, record.Encoded, storedAt)], cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                return ApiErrors.EpochConflict("Another record for this epoch was stored first: fetch it.");
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            return new EpochRecordEntry(record.Epoch, record.Encoded.ToArray(), storedAt) { ArchiveIndex = archiveIndex };
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 521, Level = LogLevel.Information,
            Message = "Epoch record added: {ReviewId}/{Channel} epoch {Epoch} by device {DeviceId}, {Members} member devices, {Length} bytes")]
        public static partial void Added(ILogger logger, Guid reviewId, string channel, uint epoch, SecureDialogue.Vault.Keys.DeviceId deviceId, int members, int length);

        [LoggerMessage(EventId = 522, Level = LogLevel.Information,
            Message = "Epoch record refused: {ReviewId}/{Channel} from account {AccountId}: {Code} ({Length} bytes)")]
        public static partial void Refused(ILogger logger, Guid reviewId, string channel, Guid accountId, string code, int length);
    }
}
