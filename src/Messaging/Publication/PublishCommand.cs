using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Publication;

/// <summary>
/// Stores a publication record the reviewed State's focal point built on its device (docs/protocol.md 18, docs/server.md
/// "Publications"). The server checks, before storing anything: the caller is the focal point of the State under review
/// (P&amp;R 40, 41); the record decodes and is for this review; the publisher device is a current device of the caller
/// and the publisher State is the reviewed State; the author device is a member's and the author State that member's;
/// the item is the envelope this server stored at that archive index and time; and the record verifies
/// (<see cref="PublicationVerifier"/>) against this server's log keys and the members' devices as cosigners. The record
/// and its <c>Publication</c> archive entry commit in one transaction. Posting the same bytes again returns the stored row.
/// </summary>
internal sealed partial class PublishCommand(
    MessagingDbContext db, ReviewAccess access, ArchiveKey key, ArchiveReader reader, ArchiveWriter writer, DeviceCardCache cards,
    IOptions<PublicationOptions> options, TimeProvider time, ILogger<PublishCommand> logger)
{
    public async Task<Outcome<(PublicationEntity Row, bool Created)>> ExecuteAsync(Caller caller, Guid reviewId, byte[]? body, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (!PublicationRules.MayPublish(member))
        {
            return ApiErrors.Forbidden("Only the focal point of the State under review publishes its review's items (P&R 40, 41).");
        }

        if (body is not { Length: > 0 })
        {
            return ApiErrors.BadRequest($"Send the publication record's bytes ({PublicationRoutes.MediaType}, docs/protocol.md 18.2).");
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(body));
        var existing = await db.Publications.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing.ReviewId == reviewId ? (existing, false) : ApiErrors.WrongContext("The record is for another review.");
        }

        var decoded = PublicationRecord.Decode(body);
        if (!decoded.TryGetValue(out var record, out var decodeError))
        {
            return PublicationErrors.Invalid($"The record does not decode ({decodeError}).", [decodeError.ToString()]);
        }

        if (record.Item.Header.Review != reviewId)
        {
            return ApiErrors.WrongContext("The record's item is of another review.");
        }

        var checks = await CheckContextAsync(caller, member, record, cancellationToken).ConfigureAwait(false);
        if (!checks.TryGet(out var item, out error))
        {
            return error;
        }

        var trust = new PublicationTrust(new ArchiveKeyRing(key.Keys, await CosignersAsync(reviewId, cancellationToken).ConfigureAwait(false)))
        {
            MinimumCosignatures = options.Value.MinimumCosignatures,
        };
        var verification = PublicationVerifier.Verify(record, trust);
        if (!verification.IsValid)
        {
            return PublicationErrors.Invalid(
                $"The record does not verify: {string.Join("; ", verification.Problems.Select(p => p.Describe()))}.",
                [.. verification.Problems.Select(p => p.Failure.ToString())]);
        }

        var now = time.GetUtcNow();
        var checkpoint = verification.Checkpoint!;
        var row = new PublicationEntity
        {
            Id = id,
            ReviewId = reviewId,
            Audience = (int)record.Audience,
            Channel = item.Channel,
            ItemSequence = item.Sequence,
            ItemKind = (int)record.Item.Header.Kind,
            ItemLanguage = record.Item.Header.Language.Value,
            AuthoredAt = record.Item.Header.CreatedAt,
            AuthorState = record.AuthorState.Value,
            PublisherState = record.PublisherState.Value,
            PublisherAccount = caller.AccountId,
            PublisherDevice = verification.Publisher!.Id.ToString(),
            Segments = record.Commitments.Count,
            Disclosed = record.Disclosed.Count,
            PublishedAt = record.PublishedAt,
            StoredAt = now,
            VisibleFrom = now + options.Value.ObjectionWindow,
            ItemEntryIdx = record.Archive.EntryIndex,
            CheckpointSize = checkpoint.TreeSize,
            CheckpointRoot = checkpoint.RootHash.ToArray(),
            LogKey = LogKeyOf(checkpoint.Note),
            Cosigners = string.Join(',', checkpoint.Cosignatures.Select(c => c.Cosigner.Device?.ToString()).OfType<string>()),
            Record = body,
        };
        return await StoreAsync(row, cancellationToken).ConfigureAwait(false);
    }

    // The item this server stored, and the author and publisher the record names, against the review's membership.
    private async Task<Outcome<(string Channel, long Sequence)>> CheckContextAsync(Caller caller, Membership member, PublicationRecord record, CancellationToken cancellationToken)
    {
        var publisherId = DevicePublicKeys.Decode(record.PublisherCard) is { IsSuccess: true } p ? p.Value.Id.ToString() : null;
        var publisher = publisherId is null ? null : await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.DeviceId == publisherId, cancellationToken).ConfigureAwait(false);
        if (publisher is null || publisher.AccountId != caller.AccountId || publisher.RevokedAt is not null || !publisher.Card.AsSpan().SequenceEqual(record.PublisherCard))
        {
            return ApiErrors.Forbidden("The record is not signed by a current device of this focal point.");
        }

        if (record.PublisherState.Value != member.StateCode)
        {
            return PublicationErrors.Invalid($"The record names {record.PublisherState} as the publishing State; the State under review is {member.StateCode}.", ["PublisherState"]);
        }

        var header = record.Item.Header;
        var senderId = header.Sender.ToString();
        var authorState = await (
            from d in db.Devices
            join m in db.ReviewMembers on d.AccountId equals m.AccountId
            where d.DeviceId == senderId && m.ReviewId == header.Review
            select m.StateCode).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (authorState is null || authorState != record.AuthorState.Value)
        {
            return PublicationErrors.Invalid($"The record names {record.AuthorState} as the author's State; the author device belongs to {authorState ?? "no State of this review"}.", ["AuthorState"]);
        }

        var channel = header.Channel.Value;
        var counter = (long)header.Counter;
        var stored = await db.Envelopes.AsNoTracking()
            .Where(e => e.ReviewId == header.Review && e.Channel == channel && e.SenderDevice == senderId && e.Counter == counter)
            .Select(e => new { e.Sequence, e.Envelope, e.StoredAt })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        ArchivedAt? logged = null;
        if (stored is not null &&
            (await reader.IndexesOfAsync(header.Review, ArchiveEntryKind.Envelope, channel, stored.Sequence, stored.Sequence, cancellationToken).ConfigureAwait(false))
            .TryGetValue(stored.Sequence, out var found))
        {
            logged = found;
        }

        // The record's entry form must be the one the log used for the item (a summary log's record carries no ciphertext).
        if (stored is null || logged is not { } at || at.Index != record.Archive.EntryIndex || at.Form != record.Archive.Form ||
            stored.StoredAt.ToUnixTimeMilliseconds() != record.Archive.ReceivedAt.ToUnixTimeMilliseconds() ||
            !Envelope.Decode(stored.Envelope).TryGetValue(out var envelope, out _) ||
            !EnvelopeSummary.Of(envelope).Encode().AsSpan().SequenceEqual(record.Item.Encode()))
        {
            return PublicationErrors.Invalid("The record's item is not the envelope this server logged at that archive index and time.", ["ItemNotInLog"]);
        }

        return (channel, stored.Sequence);
    }

    // Cosigners the server trusts for a review: the current devices of the members who may cosign its checkpoints.
    private async Task<List<CosignerKey>> CosignersAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var rows = await (
            from m in db.ReviewMembers
            join d in db.Devices on m.AccountId equals d.AccountId
            where m.ReviewId == reviewId && d.RevokedAt == null
            select new { m.AccountId, m.Role, m.StateCode, d.DeviceId, d.Card }).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var allowed = new HashSet<Guid>();
        foreach (var (accountId, role, state) in rows.Select(r => (r.AccountId, r.Role, r.StateCode)).Distinct())
        {
            if (await CosignerRule.MayCosignAsync(db, new Membership(reviewId, accountId, role, state, null), cancellationToken).ConfigureAwait(false))
            {
                allowed.Add(accountId);
            }
        }

        return [.. rows
            .Where(r => allowed.Contains(r.AccountId))
            .Select(r => cards.Decode(r.DeviceId, r.Card))
            .OfType<DevicePublicKeys>()
            .Select(CosignerKey.ForDevice)];
    }

    private string LogKeyOf(SignedCheckpoint note) =>
        key.Keys.FirstOrDefault(k => k.Covers(note.TreeSize) && note.Signatures.Any(s => s.KeyName == k.Name))?.VerifierKey ?? key.Current.VerifierKey;

    private async Task<Outcome<(PublicationEntity Row, bool Created)>> StoreAsync(PublicationEntity row, CancellationToken cancellationToken)
    {
        // The publication and its archive entry commit together, or neither does.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            row.EntryIdx = await writer.AppendAsync(db, row.ReviewId, [PublicationArchive.Entry(row.Record, row.StoredAt)], cancellationToken).ConfigureAwait(false);
            db.Publications.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // The same record stored concurrently: this append rolls back, and the first row stands.
                db.ChangeTracker.Clear();
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                var first = await db.Publications.AsNoTracking().SingleAsync(p => p.Id == row.Id, cancellationToken).ConfigureAwait(false);
                return (first, false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
        Log.Published(logger, row.ReviewId, row.Id, row.Disclosed, row.Segments, row.Audience, row.EntryIdx);
        return (row, true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 901, Level = LogLevel.Information,
            Message = "Review {ReviewId}: publication {PublicationId} stored ({Disclosed} of {Segments} segments, audience {Audience}), archived at index {Index}")]
        public static partial void Published(ILogger logger, Guid reviewId, string publicationId, int disclosed, int segments, int audience, long index);
    }
}
