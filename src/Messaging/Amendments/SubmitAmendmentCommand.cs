using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Amendments;

/// <summary>
/// Stores an author's correction or retraction after the checks of docs/protocol.md 21.4 (member who may post, the
/// statement decodes and names this review and channel, its author is the caller's registered device and signed it, the
/// named envelopes are that device's at the given sequences, one retraction per item, one correction per replacement),
/// and appends its <c>Correction</c> or <c>Retraction</c> entry in the same transaction. The same bytes again return
/// the stored entry and append nothing.
/// </summary>
internal sealed partial class SubmitAmendmentCommand(
    MessagingDbContext db, ReviewAccess access, ArchiveWriter writer, ArchiveReader archive, Dialogue.DialogueNotifier notifier, TimeProvider time,
    ILogger<SubmitAmendmentCommand> logger)
{
    public async Task<Outcome<(AmendmentEntry Entry, bool Created)>> ExecuteAsync(
        Caller caller, Guid reviewId, string channel, SubmitAmendment? request, CancellationToken cancellationToken)
    {
        var membership = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Post, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        if (request?.Statement is null || AmendmentCodec.Decode(request.Statement) is not { IsSuccess: true } decoded)
        {
            return ApiErrors.BadRequest("The statement is malformed or of an unsupported version (docs/protocol.md 21.2).");
        }

        var amendment = decoded.Value.Amendment;
        if (amendment.Review != reviewId || amendment.Channel.Value != channel)
        {
            return ApiErrors.WrongContext("The statement is for another review or channel than the route.");
        }

        var authorId = amendment.Author.ToString();
        var author = await db.Devices.AsNoTracking()
            .SingleOrDefaultAsync(d => d.DeviceId == authorId && d.AccountId == caller.AccountId && d.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        if (author is null || DevicePublicKeys.Decode(author.Card) is not { IsSuccess: true } card)
        {
            return ApiErrors.Forbidden("The statement's author is not a registered device of the caller.");
        }

        if (!AmendmentCodec.Verify(request.Statement, card.Value).IsSuccess)
        {
            return new ApiError(ProblemTypes.InvalidSignature, StatusCodes.Status400BadRequest, "The statement's signature does not verify with the author's registered card.");
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(request.Statement));
        if (await db.Amendments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false) is { } same)
        {
            return (AmendmentsQuery.ToEntry(same), false);
        }

        var check = await CheckEnvelopeAsync(reviewId, channel, amendment, request.TargetSequence, replacement: false, cancellationToken).ConfigureAwait(false)
            ?? (amendment.Action == AmendmentAction.Correct
                ? request.ReplacementSequence is not { } r || r <= request.TargetSequence
                    ? ApiErrors.BadRequest("A correction names its replacement's sequence, after the target's.")
                    : await CheckEnvelopeAsync(reviewId, channel, amendment, r, replacement: true, cancellationToken).ConfigureAwait(false)
                : null)
            ?? await CheckConflictsAsync(reviewId, channel, amendment, request, cancellationToken).ConfigureAwait(false);
        if (check is not null)
        {
            return check;
        }

        var targetIndexes = await archive.IndexesOfAsync(reviewId, ArchiveEntryKind.Envelope, channel, request.TargetSequence, request.TargetSequence, cancellationToken).ConfigureAwait(false);
        if (!targetIndexes.TryGetValue(request.TargetSequence, out var targetArchived))
        {
            return ApiErrors.NotFound("The amended envelope has no archive entry.");
        }

        var targetIndex = targetArchived.Index;

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var kind = amendment.Action == AmendmentAction.Correct ? ArchiveEntryKind.Correction : ArchiveEntryKind.Retraction;
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var index = await writer.AppendAsync(db, reviewId, [ArchiveRecord.Stored(kind, request.Statement, now, targetIndex, channel)], cancellationToken).ConfigureAwait(false);
            var entity = new AmendmentEntity
            {
                Id = id,
                ReviewId = reviewId,
                Channel = channel,
                Action = (int)amendment.Action,
                AuthorDevice = authorId,
                TargetSequence = request.TargetSequence,
                ReplacementSequence = amendment.Action == AmendmentAction.Correct ? request.ReplacementSequence : null,
                Statement = request.Statement,
                StoredAt = now,
                EntryIdx = index,
                TargetEntryIdx = targetIndex,
            };
            db.Amendments.Add(entity);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // A concurrent statement took the retraction or the replacement (or stored these bytes): report what stands.
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                if (await db.Amendments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false) is { } raced)
                {
                    return (AmendmentsQuery.ToEntry(raced), false);
                }

                return await CheckConflictsAsync(reviewId, channel, amendment, request, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("An amendment could not be stored and no conflicting one was found.");
            }

            Log.Stored(logger, reviewId, channel, amendment.Action, index);
            await notifier.EnvelopeStoredAsync(reviewId, channel, amendment.Action == AmendmentAction.Correct ? request.ReplacementSequence!.Value : request.TargetSequence).ConfigureAwait(false);
            return (AmendmentsQuery.ToEntry(entity), true);
        }
    }

    // The envelope at the sequence is the one the statement names (id and counter), and its sender is the author.
    private async Task<ApiError?> CheckEnvelopeAsync(Guid reviewId, string channel, Amendment amendment, long sequence, bool replacement, CancellationToken cancellationToken)
    {
        var what = replacement ? "replacement" : "amended envelope";
        var row = sequence < 1 ? null : await db.Envelopes.AsNoTracking()
            .Where(e => e.ReviewId == reviewId && e.Channel == channel && e.Sequence == sequence)
            .Select(e => new { e.Envelope, e.SenderDevice })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null || Envelope.Decode(row.Envelope) is not { IsSuccess: true } envelope ||
            !envelope.Value.ComputeId().AsSpan().SequenceEqual((replacement ? amendment.ReplacementEnvelopeId : amendment.TargetEnvelopeId).Span))
        {
            return ApiErrors.NotFound($"The channel holds no such {what} at that sequence.");
        }

        if (envelope.Value.Header.Sender != amendment.Author)
        {
            return ApiErrors.NotAuthor($"The {what} was sent by another device than the statement's author.");
        }

        return AmendmentCodec.Names(amendment, envelope.Value, replacement)
            ? null
            : ApiErrors.BadRequest($"The statement's counter of the {what} is not the envelope's.");
    }

    private async Task<ApiError?> CheckConflictsAsync(Guid reviewId, string channel, Amendment amendment, SubmitAmendment request, CancellationToken cancellationToken)
    {
        if (await db.Amendments.AnyAsync(
                a => a.ReviewId == reviewId && a.Channel == channel && a.Action == (int)AmendmentAction.Retract && a.TargetSequence == request.TargetSequence,
                cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.AlreadyRetracted("The item is retracted already; a retraction is final.");
        }

        if (amendment.Action == AmendmentAction.Correct && await db.Amendments.AnyAsync(
                a => a.ReviewId == reviewId && a.Channel == channel && a.Action == (int)AmendmentAction.Correct && a.ReplacementSequence == request.ReplacementSequence,
                cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.AmendmentConflict("Another correction already uses this replacement.");
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 950, Level = LogLevel.Information, Message = "Review {ReviewId}: {Action} in channel {Channel} archived at index {Index}")]
        public static partial void Stored(ILogger logger, Guid reviewId, string channel, AmendmentAction action, long index);
    }
}
