using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// Accepts one envelope into a channel, for the hub's <c>Send</c> and the HTTP <c>POST</c> alike. Without any key to
/// its content, the server checks, in order: the caller may post in the channel; the format; that the header names
/// the route's review and channel; that the sender is a registered, non-revoked device of the caller; the sender's
/// signature. Then, in one transaction holding the channel's row: a retry (same sender and client message id) gets
/// its original sequence; the envelope must be in the channel's current epoch and its sender listed there; its
/// counter must exceed the sender's last; it gets the next sequence and is committed before the acknowledgement.
/// Readers are notified after the commit.
/// </summary>
internal sealed partial class AcceptEnvelopeCommand(
    MessagingDbContext db, ReviewAccess access, EpochMembersCache epochs, DialogueNotifier notifier, TimeProvider time,
    ILogger<AcceptEnvelopeCommand> logger)
{
    public async Task<Outcome<SendAck>> ExecuteAsync(Caller caller, Guid reviewId, string? channel, byte[]? encoded, CancellationToken cancellationToken)
    {
        var outcome = await CheckAsync(caller, reviewId, channel, encoded, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var checkedEnvelope, out var error))
        {
            Log.Refused(logger, reviewId, ChannelRules.Exists(channel) ? channel! : "(unknown)", caller.AccountId, error.Code, encoded?.Length ?? 0);
            return error;
        }

        var stored = await StoreAsync(reviewId, channel!, checkedEnvelope, cancellationToken).ConfigureAwait(false);
        if (!stored.TryGet(out var ack, out error))
        {
            Log.Refused(logger, reviewId, channel!, caller.AccountId, error.Code, encoded!.Length);
            return error;
        }

        var header = checkedEnvelope.Header;
        if (ack.Duplicate)
        {
            Log.Duplicate(logger, reviewId, channel!, ack.Sequence, header.Sender);
            return ack;
        }

        Log.Accepted(logger, reviewId, channel!, ack.Sequence, header.Sender, header.Epoch, encoded!.Length);
        await notifier.EnvelopeStoredAsync(reviewId, channel!, ack.Sequence).ConfigureAwait(false);
        return ack;
    }

    private async Task<Outcome<Envelope>> CheckAsync(Caller caller, Guid reviewId, string? channel, byte[]? encoded, CancellationToken cancellationToken)
    {
        var membership = await access.ForChannelAsync(caller, reviewId, channel ?? string.Empty, ChannelAccess.Post, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var denied))
        {
            return denied;
        }

        if (encoded is null || encoded.Length == 0)
        {
            return ApiErrors.MalformedEnvelope("No envelope was sent.");
        }

        if (encoded.Length > Envelope.MaxEncodedSize)
        {
            return ApiErrors.MalformedEnvelope($"An envelope is at most {Envelope.MaxEncodedSize} bytes.");
        }

        var decoded = Envelope.Decode(encoded);
        if (!decoded.TryGetValue(out var envelope, out var formatError))
        {
            return ApiErrors.MalformedEnvelope(formatError == EnvelopeError.UnsupportedVersion
                ? "The envelope's protocol version or suite is not supported."
                : "The envelope is not a canonical version 1 envelope.");
        }

        var header = envelope.Header;
        if (header.Review != reviewId || header.Channel.Value != channel)
        {
            return ApiErrors.WrongContext("The envelope's header names another review or channel than the route.");
        }

        if (header.Counter > long.MaxValue)
        {
            return ApiErrors.MalformedEnvelope("The envelope's counter is out of range.");
        }

        var senderId = header.Sender.ToString();
        var sender = await db.Devices
            .Where(d => d.DeviceId == senderId)
            .Select(d => new { d.AccountId, d.Card, d.RevokedAt })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (sender is null || sender.AccountId != caller.AccountId || sender.RevokedAt is not null)
        {
            return ApiErrors.Forbidden("The envelope's sender is not a registered device of the caller.");
        }

        var card = DevicePublicKeys.Decode(sender.Card);
        if (!card.TryGetValue(out var keys, out _) || !EnvelopeVerifier.VerifySignature(envelope, keys))
        {
            return ApiErrors.InvalidSignature;
        }

        return envelope;
    }

    private async Task<Outcome<SendAck>> StoreAsync(Guid reviewId, string channel, Envelope envelope, CancellationToken cancellationToken)
    {
        var header = envelope.Header;
        var sender = header.Sender.ToString();
        var counter = (long)header.Counter;
        for (var attempt = 0; ; attempt++)
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Taking the channel's row first serialises writers of this channel (row lock on PostgreSQL, the
                // database write lock on SQLite), so the checks below see every earlier commit.
                var updated = await db.Channels
                    .Where(c => c.ReviewId == reviewId && c.Name == channel)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, c => c.LastSequence + 1), cancellationToken).ConfigureAwait(false);
                if (updated != 1)
                {
                    return ApiErrors.NotFound("This review has no such channel.");
                }

                var state = await db.Channels
                    .Where(c => c.ReviewId == reviewId && c.Name == channel)
                    .Select(c => new { c.LastSequence, c.CurrentEpoch })
                    .SingleAsync(cancellationToken).ConfigureAwait(false);

                var original = await db.Envelopes
                    .Where(e => e.ReviewId == reviewId && e.Channel == channel && e.SenderDevice == sender && e.ClientMessageId == header.ClientMessageId)
                    .Select(e => (long?)e.Sequence)
                    .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                if (original is { } sequence)
                {
                    return new SendAck(sequence, Duplicate: true);
                }

                if (state.CurrentEpoch != header.Epoch)
                {
                    return ApiErrors.StaleEpoch(state.CurrentEpoch is null
                        ? "The channel has no epoch yet: a member must open it first."
                        : $"The channel's current epoch is {state.CurrentEpoch}; fetch its record and seal again.");
                }

                var members = await epochs.GetAsync(db, reviewId, channel, header.Epoch, cancellationToken).ConfigureAwait(false);
                if (members is null || !members.Contains(sender))
                {
                    return ApiErrors.StaleEpoch("The sender device is not listed in the channel's current epoch.");
                }

                var last = await db.Envelopes
                    .Where(e => e.ReviewId == reviewId && e.Channel == channel && e.SenderDevice == sender)
                    .MaxAsync(e => (long?)e.Counter, cancellationToken).ConfigureAwait(false);
                if (last >= counter)
                {
                    return ApiErrors.ReplayedCounter;
                }

                db.Envelopes.Add(new EnvelopeEntity
                {
                    ReviewId = reviewId,
                    Channel = channel,
                    Sequence = state.LastSequence,
                    SenderDevice = sender,
                    Counter = counter,
                    ClientMessageId = header.ClientMessageId,
                    Epoch = header.Epoch,
                    Envelope = envelope.Encoded.ToArray(),
                    StoredAt = time.GetUtcNow(),
                });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return new SendAck(state.LastSequence, Duplicate: false);
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // A unique constraint caught a concurrent writer the row lock did not (it should not happen): decide again.
                    Log.Retried(logger, reviewId, channel);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
        }
    }
}
