using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Trust;

/// <summary>
/// The record of changes to a review's people and trust: focal point registrations and replacements, root
/// statements, certificates, revocations and the membership changes they cause. Events are added to the caller's
/// unit of work (stored with the change itself, in one transaction). This is the hook the review's signed archive
/// log (branch <c>archlog</c>) takes over: until then the events are server-side metadata, listed in
/// docs/threat-model.md section 8, and the statements themselves are the signed evidence.
/// </summary>
internal sealed class ReviewEvents(MessagingDbContext db)
{
    /// <summary>Event kinds (stable strings).</summary>
    public static class Kinds
    {
        public const string FocalPointRegistered = "focal-point-registered";
        public const string FocalPointReplaced = "focal-point-replaced";
        public const string RootPublished = "focal-point-root";
        public const string DeviceCertified = "device-certified";
        public const string DeviceRevoked = "device-revoked";
        public const string MemberAdded = "member-added";
        public const string MemberRemoved = "member-removed";
    }

    private long? _next;

    /// <summary>Adds an event to the unit of work; the caller saves.</summary>
    public async Task AppendAsync(
        Guid reviewId, string kind, Guid actor, DateTimeOffset at, string? stateCode = null, Guid? subjectAccount = null,
        string? subjectDevice = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        _next ??= (await db.ReviewEvents.Where(e => e.ReviewId == reviewId).MaxAsync(e => (long?)e.Position, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
        db.ReviewEvents.Add(new ReviewEventEntity
        {
            ReviewId = reviewId,
            Position = _next.Value,
            Kind = kind,
            ActorAccount = actor,
            StateCode = stateCode,
            SubjectAccount = subjectAccount,
            SubjectDevice = subjectDevice,
            Detail = detail,
            At = at,
        });
        _next++;
    }

    /// <summary>Forgets the cached next position (after a failed save).</summary>
    public void Reset() => _next = null;
}
