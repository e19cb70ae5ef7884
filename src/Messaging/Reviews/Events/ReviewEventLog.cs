using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Reviews.Events;

/// <summary>
/// The one record of what happened to a review besides its dialogue: focal point registrations, trust statements and
/// the membership changes they cause, stage changes and disclosure policy statements. Each event is a row of
/// <c>review_events</c> (what the server's records and the secretariat's views read) and, when it carries an
/// archive payload, an entry of the review's signed archive log (docs/protocol.md 16.2.1); both go into the caller's
/// unit of work and open transaction, so they commit with the change itself or not at all.
/// </summary>
internal interface IReviewEventLog
{
    /// <summary>
    /// Adds the event's row to <paramref name="db"/>'s unit of work (the caller saves) and appends its archive entry, if
    /// any, inside <paramref name="db"/>'s current transaction, which must be open (the review's log row is locked first).
    /// </summary>
    Task AppendAsync(MessagingDbContext db, ReviewEvent reviewEvent, CancellationToken cancellationToken);

    /// <summary>Forgets cached positions (after a failed save that the caller retries).</summary>
    void Reset();
}

/// <summary>One review event.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Kind">What happened (<see cref="ReviewEventKinds"/>).</param>
/// <param name="Actor">The account that made the change.</param>
/// <param name="At">When the server stored it.</param>
internal sealed record ReviewEvent(Guid ReviewId, string Kind, Guid Actor, DateTimeOffset At)
{
    public string? StateCode { get; init; }

    public Guid? SubjectAccount { get; init; }

    public string? SubjectDevice { get; init; }

    /// <summary>A short description (a nomination reference, a role, a reason, a stage change), never content.</summary>
    public string? Detail { get; init; }

    /// <summary>The archive entry's kind, or null for an event that is only a row (it follows from an archived one).</summary>
    public ArchiveEntryKind? ArchiveKind { get; init; }

    /// <summary>The archive entry's payload, exactly as docs/protocol.md 16.2.1 specifies it for <see cref="ArchiveKind"/>.</summary>
    public ReadOnlyMemory<byte> ArchivePayload { get; init; }
}

/// <summary>Event kinds (stable strings, stored in <c>review_events.kind</c>).</summary>
internal static class ReviewEventKinds
{
    public const string FocalPointRegistered = "focal-point-registered";
    public const string FocalPointReplaced = "focal-point-replaced";
    public const string RootPublished = "focal-point-root";
    public const string DeviceCertified = "device-certified";
    public const string DeviceRevoked = "device-revoked";
    public const string MemberAdded = "member-added";
    public const string MemberRemoved = "member-removed";
    public const string StageChanged = "stage-changed";
    public const string PolicySet = "policy-set";
}

/// <summary>The <see cref="IReviewEventLog"/> over <c>review_events</c> and the review's archive log.</summary>
internal sealed class ReviewEventLog(ArchiveWriter archive) : IReviewEventLog
{
    private readonly Dictionary<Guid, long> _next = [];

    public async Task AppendAsync(MessagingDbContext db, ReviewEvent reviewEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reviewEvent);
        var reviewId = reviewEvent.ReviewId;
        if (!_next.TryGetValue(reviewId, out var position))
        {
            // Taking the review's archive log row first (an empty append) serialises concurrent events of the review,
            // so two transactions never pick the same position.
            await archive.AppendAsync(db, reviewId, [], cancellationToken).ConfigureAwait(false);
            position = (await db.ReviewEvents.Where(e => e.ReviewId == reviewId).MaxAsync(e => (long?)e.Position, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
        }

        db.ReviewEvents.Add(new ReviewEventEntity
        {
            ReviewId = reviewId,
            Position = position,
            Kind = reviewEvent.Kind,
            ActorAccount = reviewEvent.Actor,
            StateCode = reviewEvent.StateCode,
            SubjectAccount = reviewEvent.SubjectAccount,
            SubjectDevice = reviewEvent.SubjectDevice,
            Detail = reviewEvent.Detail,
            At = reviewEvent.At,
        });
        _next[reviewId] = position + 1;

        if (reviewEvent.ArchiveKind is { } kind)
        {
            // Whole milliseconds: the archive entry's time is i64 ms.
            var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(reviewEvent.At.ToUnixTimeMilliseconds());
            await archive.AppendAsync(db, reviewId, [ArchiveRecord.Stored(kind, reviewEvent.ArchivePayload, receivedAt)], cancellationToken).ConfigureAwait(false);
        }
    }

    public void Reset() => _next.Clear();
}
