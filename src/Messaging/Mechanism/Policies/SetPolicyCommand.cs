using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Reviews.Events;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Mechanism.Policies;

/// <summary>
/// The focal point of the State under review sets the review's disclosure policy with a statement its own device
/// signed (docs/protocol.md 19.1). The server checks what every client checks: the review, the signer (a device of
/// that focal point, not revoked), the signature and the version sequence; then stores the statement as received.
/// </summary>
internal sealed partial class SetPolicyCommand(
    MessagingDbContext db, ReviewAccess access, IReviewEventLog log, Dialogue.DialogueNotifier notifier, Dialogue.HubSubscriptions subscriptions, TimeProvider time, ILogger<SetPolicyCommand> logger)
{
    public async Task<Outcome<uint>> ExecuteAsync(Caller caller, Guid reviewId, SetPolicy? request, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (member.Role != MemberRole.FocalPoint || member.StateRole != StateRole.UnderReview)
        {
            return ApiErrors.Forbidden("Only the focal point of the State under review sets the disclosure policy.");
        }

        if (request?.Statement is not { Length: > 0 } bytes)
        {
            return ApiErrors.BadRequest("Send {\"statement\":\"BASE64\"}: a disclosure policy statement (docs/protocol.md 19.1).");
        }

        if (!DisclosurePolicyCodec.Decode(bytes).TryGetValue(out var decoded, out var decodeError))
        {
            return ApiErrors.BadRequest($"The statement is not valid ({decodeError}).");
        }

        if (decoded.Policy.ReviewId != reviewId)
        {
            return ApiErrors.WrongContext("The statement is for another review.");
        }

        if (decoded.Policy.ContentChannels.Any(c => !ChannelRules.Exists(c)))
        {
            return ApiErrors.BadRequest("The statement names a channel this review does not have.");
        }

        var signerId = decoded.Signer.ToString();
        var device = await db.Devices.SingleOrDefaultAsync(d => d.DeviceId == signerId, cancellationToken).ConfigureAwait(false);
        if (device is null || device.AccountId != caller.AccountId || device.RevokedAt is not null)
        {
            return ApiErrors.Forbidden("The statement is not signed by a current device of this focal point.");
        }

        if (!DevicePublicKeys.Decode(device.Card).TryGetValue(out var card, out _) ||
            !DisclosurePolicyCodec.Verify(bytes, card).TryGetValue(out var statement, out _))
        {
            return new ApiError(ProblemTypes.InvalidSignature, StatusCodes.Status400BadRequest, "The statement's signature does not verify with the signer's device card.");
        }

        var latest = await db.DisclosurePolicies.Where(p => p.ReviewId == reviewId).MaxAsync(p => (int?)p.Version, cancellationToken).ConfigureAwait(false) ?? 0;
        if (statement.Policy.Version != (uint)latest + 1)
        {
            return Conflict(latest);
        }

        // Milliseconds, as the archive entry carries the time: the served time then rebuilds the entry exactly.
        var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        db.DisclosurePolicies.Add(new DisclosurePolicyEntity
        {
            ReviewId = reviewId,
            Version = (int)statement.Policy.Version,
            Statement = bytes,
            SignerDevice = signerId,
            SignerAccount = caller.AccountId,
            MetadataLevel = statement.Policy.Metadata,
            ContentChannels = string.Join(',', statement.Policy.ContentChannels),
            IssuedAt = statement.Policy.IssuedAt,
            StoredAt = storedAt,
        });
        // The statement and its archive entry commit together, or neither does.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                return Conflict(latest);
            }

            await log.AppendAsync(db, new ReviewEvent(reviewId, ReviewEventKinds.PolicySet, caller.AccountId, storedAt)
            {
                StateCode = member.StateCode,
                SubjectDevice = signerId,
                Detail = $"version {statement.Policy.Version}: {MetadataLevelCodes.Code(statement.Policy.Metadata)}, content: {(statement.Policy.ContentChannels.Count == 0 ? "none" : string.Join(' ', statement.Policy.ContentChannels))}",
                ArchiveKind = ArchiveEntryKind.PolicyChange,
                ArchivePayload = bytes,
            }, cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
        Log.Set(logger, reviewId, statement.Policy.Version, statement.Policy.Metadata, statement.Policy.ContentChannels.Count);
        // Open secretariat connections leave the groups of withdrawn channels (and join newly named ones) before the doorbell.
        await subscriptions.PolicyChangedAsync(reviewId, statement.Policy.Version, statement.Policy.ContentChannels).ConfigureAwait(false);
        await notifier.TrustChangedAsync(reviewId, TrustNoticeKinds.Policy).ConfigureAwait(false);
        return statement.Policy.Version;
    }

    private static ApiError Conflict(int latest) =>
        new(ProblemTypes.EpochConflict, StatusCodes.Status409Conflict, "The statement's version does not follow the review's latest policy.",
            $"The next statement must have version {latest + 1}.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 721, Level = LogLevel.Information, Message = "Review {ReviewId}: disclosure policy {Version} accepted ({Metadata}, content keys for {Channels} channel(s))")]
        public static partial void Set(ILogger logger, Guid reviewId, uint version, MetadataLevel metadata, int channels);
    }
}
