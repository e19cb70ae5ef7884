using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// History and catch-up: a channel's envelopes after a sequence, in order, for the channel's readers only (never the
/// secretariat). A page holds at most <c>limit</c> items and about <see cref="MaxPageBytes"/> bytes (always at least one item).
/// </summary>
internal sealed class EnvelopePageQuery(MessagingDbContext db, ReviewAccess access, Archive.ArchiveReader archive)
{
    /// <summary>Default page size.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Soft byte budget of one page.</summary>
    public const long MaxPageBytes = 8L * 1024 * 1024;

    public async Task<Outcome<EnvelopePage>> ExecuteAsync(Caller caller, Guid reviewId, string channel, long? after, int? limit, CancellationToken cancellationToken)
    {
        var membership = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Read, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var from = after ?? 0;
        var take = limit ?? DefaultLimit;
        if (from < 0 || take is < 1 or > HttpRoutes.MaxEnvelopePageSize)
        {
            return ApiErrors.BadRequest($"'after' is a sequence (0 or more) and 'limit' is 1 to {HttpRoutes.MaxEnvelopePageSize}.");
        }

        // Sizes first, so a page of large items is cut by bytes before any is loaded.
        var sizes = await db.Envelopes
            .Where(e => e.ReviewId == reviewId && e.Channel == channel && e.Sequence > from)
            .OrderBy(e => e.Sequence)
            .Take(take + 1)
            .Select(e => new { e.Sequence, Length = (long)e.Envelope.Length })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var count = 0;
        long bytes = 0;
        while (count < Math.Min(take, sizes.Count) && (count == 0 || bytes + sizes[count].Length <= MaxPageBytes))
        {
            bytes += sizes[count].Length;
            count++;
        }

        if (count == 0)
        {
            return new EnvelopePage([], null);
        }

        var last = sizes[count - 1].Sequence;
        var items = await db.Envelopes
            .Where(e => e.ReviewId == reviewId && e.Channel == channel && e.Sequence > from && e.Sequence <= last)
            .OrderBy(e => e.Sequence)
            .Select(e => new StoredEnvelope(e.Sequence, e.Envelope, e.StoredAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // Each item's archive index, so the client can verify it by inclusion (docs/protocol.md 16.7).
        var indexes = await archive.IndexesOfAsync(reviewId, Vault.Archive.ArchiveEntryKind.Envelope, channel, from + 1, last, cancellationToken).ConfigureAwait(false);
        items = [.. items.Select(i => indexes.TryGetValue(i.Sequence, out var at) ? i with { ArchiveIndex = at.Index, ArchiveForm = (int)at.Form } : i)];
        return new EnvelopePage(items, sizes.Count > count ? last : null);
    }
}
