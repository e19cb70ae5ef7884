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
/// signature. Then <see cref="EnvelopeWriter"/> decides and stores it in a transaction holding the channel's row, shared
/// with the items other senders sent meanwhile (group commit): a retry (same sender and client message id) gets its
/// original sequence; the envelope must be in the channel's current epoch and its sender listed there; its counter
/// must exceed the sender's last; it gets the next sequence and is committed before the acknowledgement. Readers are
/// notified after the commit.
/// </summary>
internal sealed partial class AcceptEnvelopeCommand(
    MessagingDbContext db, CompiledQueries queries, ReviewAccess access, DeviceCardCache cards, EnvelopeWriter writer, DialogueNotifier notifier,
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

        var stored = await writer.StoreAsync(reviewId, channel!, checkedEnvelope, cancellationToken).ConfigureAwait(false);
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
        // The checks' queries share one connection (opened, and set up, once).
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CheckCoreAsync(caller, reviewId, channel, encoded, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task<Outcome<Envelope>> CheckCoreAsync(Caller caller, Guid reviewId, string? channel, byte[]? encoded, CancellationToken cancellationToken)
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
        var sender = await queries.Device(db, senderId, cancellationToken).ConfigureAwait(false);
        if (sender is null || sender.AccountId != caller.AccountId || sender.RevokedAt is not null)
        {
            return ApiErrors.Forbidden("The envelope's sender is not a registered device of the caller.");
        }

        if (cards.Decode(senderId, sender.Card) is not { } keys || !EnvelopeVerifier.VerifySignature(envelope, keys))
        {
            return ApiErrors.InvalidSignature;
        }

        return envelope;
    }
}
