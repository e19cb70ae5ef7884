using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews.Events;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Mechanism.Activity;

/// <summary>
/// A review's activity for the secretariat, from the envelope rows (time, channel, sender device, length), reduced to
/// what the review's disclosure policy permits: per person, per State, or counts only; and its events besides the
/// dialogue (<c>review_events</c>). Never content; the envelope bytes are not even read, only their length.
/// </summary>
internal sealed class ActivityQuery(MessagingDbContext db, DisclosurePolicies policies)
{
    /// <summary>Most items returned.</summary>
    public const int MaxItems = 500;

    /// <summary>The activity view; the caller has checked the secretariat member is assigned to the review.</summary>
    public async Task<ActivityView> ViewAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var policy = await policies.CurrentAsync(reviewId, cancellationToken).ConfigureAwait(false);
        var rows = await db.Envelopes
            .Where(e => e.ReviewId == reviewId)
            .Join(db.Devices, e => e.SenderDevice, d => d.DeviceId, (e, d) => new { e.StoredAt, e.Channel, d.AccountId, Length = e.Envelope.Length })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = rows
            .GroupBy(r => (Day: DateOnly.FromDateTime(r.StoredAt.UtcDateTime), r.Channel))
            .OrderByDescending(g => g.Key.Day).ThenBy(g => g.Key.Channel, StringComparer.Ordinal)
            .Select(g => new ActivityCount(g.Key.Day, g.Key.Channel, g.Count()))
            .ToList();
        var level = MetadataLevelCodes.Code(policy.Metadata);
        var events = await EventsAsync(reviewId, policy.Metadata, cancellationToken).ConfigureAwait(false);
        if (policy.Metadata == MetadataLevel.CountsOnly)
        {
            return new ActivityView(level, [], counts, events);
        }

        var members = await db.ReviewMembers.Where(m => m.ReviewId == reviewId)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.AccountId, m.StateCode, a.DisplayName })
            .ToDictionaryAsync(m => m.AccountId, cancellationToken).ConfigureAwait(false);
        var items = rows
            .OrderByDescending(r => r.StoredAt)
            .Take(MaxItems)
            .Select(r =>
            {
                members.TryGetValue(r.AccountId, out var member);
                var person = policy.Metadata == MetadataLevel.PerPerson ? member?.DisplayName : null;
                return new ActivityItem(r.StoredAt, r.Channel, member?.StateCode ?? string.Empty, person, SizeClass(r.Length));
            })
            .ToList();
        return new ActivityView(level, items, counts, events);
    }

    /// <summary>
    /// The review's events from <c>review_events</c> (the latest <see cref="MaxItems"/>, oldest first): kind, time, the
    /// State concerned and the recorded detail, never the accounts or devices. Under counts-only the State of a change a
    /// member made (a certificate, a revocation, a policy statement, a membership change) is left out, as it is for
    /// envelopes; the secretariat's own changes (stages, focal point registrations) keep theirs.
    /// </summary>
    private async Task<List<ActivityEvent>> EventsAsync(Guid reviewId, MetadataLevel metadata, CancellationToken cancellationToken)
    {
        var rows = await db.ReviewEvents
            .Where(e => e.ReviewId == reviewId)
            .OrderByDescending(e => e.Position)
            .Take(MaxItems)
            .Select(e => new { e.Position, e.At, e.Kind, e.StateCode, e.Detail })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. rows.OrderBy(r => r.Position).Select(r => new ActivityEvent(
                r.At,
                r.Kind,
                metadata == MetadataLevel.CountsOnly && !BySecretariat(r.Kind) ? string.Empty : r.StateCode ?? string.Empty,
                r.Detail ?? string.Empty)),
        ];
    }

    private static bool BySecretariat(string kind) =>
        kind is ReviewEventKinds.StageChanged or ReviewEventKinds.FocalPointRegistered or ReviewEventKinds.FocalPointReplaced;

    /// <summary>The size class of an envelope: <c>s</c> up to 4 KiB, <c>m</c> up to 64 KiB, <c>l</c> above.</summary>
    public static string SizeClass(long length) => length switch
    {
        <= 4096 => "s",
        <= 65536 => "m",
        _ => "l",
    };
}
