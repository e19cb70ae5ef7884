using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Publication;

/// <summary>
/// Reads publications. A review's list is for its members and assigned secretariat (<see cref="ReviewAccess"/>), the
/// objection window notwithstanding. One publication, its record and the portal follow the audience
/// (<see cref="MayRead"/>): public ones to anyone, States-parties ones to signed-in members of a State party, and
/// either only once <see cref="PublicationEntity.VisibleFrom"/> has passed.
/// </summary>
internal sealed class PublicationQueries(MessagingDbContext db, ReviewAccess access, TimeProvider time)
{
    /// <summary>A stored publication with its withdrawal, if any.</summary>
    public sealed record Stored(PublicationEntity Row, PublicationWithdrawalEntity? Withdrawal);

    public async Task<Outcome<PublicationList>> ForReviewAsync(Caller caller, Guid reviewId, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var rows = await LoadAsync(db.Publications.Where(p => p.ReviewId == reviewId), cancellationToken).ConfigureAwait(false);
        return new PublicationList([.. rows.Select(ToEntry)]);
    }

    /// <summary>The entry of a publication, or null.</summary>
    public async Task<PublicationEntry?> EntryAsync(string id, CancellationToken cancellationToken) =>
        (await LoadAsync(db.Publications.Where(p => p.Id == id), cancellationToken).ConfigureAwait(false)).Select(ToEntry).SingleOrDefault();

    /// <summary>A publication the caller (null: anonymous) may read: 404 when unknown or not yet visible, 401/403 when the audience excludes the caller.</summary>
    public async Task<Outcome<Stored>> ReadableAsync(Caller? caller, string id, CancellationToken cancellationToken)
    {
        var found = (await LoadAsync(db.Publications.Where(p => p.Id == id), cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        if (found is null || found.Row.VisibleFrom > time.GetUtcNow())
        {
            return ApiErrors.NotFound("There is no such publication.");
        }

        if (found.Row.Audience == (int)PublicationAudience.Public)
        {
            return found;
        }

        if (caller is null)
        {
            return new ApiError(ProblemTypes.Unauthorized, StatusCodes.Status401Unauthorized, "Sign in.", "This publication is for the States parties: sign in as a member of a State party.");
        }

        return await IsStateMemberAsync(caller, cancellationToken).ConfigureAwait(false)
            ? found
            : ApiErrors.Forbidden("This publication is for the States parties only.");
    }

    /// <summary>Every visible publication the caller may read, newest first (the portal's index).</summary>
    public async Task<IReadOnlyList<Stored>> VisibleAsync(Caller? caller, CancellationToken cancellationToken)
    {
        var states = caller is not null && await IsStateMemberAsync(caller, cancellationToken).ConfigureAwait(false);
        var query = states ? db.Publications : db.Publications.Where(p => p.Audience == (int)PublicationAudience.Public);
        var now = time.GetUtcNow();
        return [.. (await LoadAsync(query, cancellationToken).ConfigureAwait(false)).Where(s => s.Row.VisibleFrom <= now).OrderByDescending(s => s.Row.StoredAt)];
    }

    /// <summary>Whether the account is a member of a State party in some review (the States-parties audience).</summary>
    public Task<bool> IsStateMemberAsync(Caller caller, CancellationToken cancellationToken) =>
        db.ReviewMembers.AnyAsync(m => m.AccountId == caller.AccountId && m.StateCode != null, cancellationToken);

    public static PublicationEntry ToEntry(Stored stored)
    {
        var (row, withdrawal) = stored;
        var record = PublicationRecord.Decode(row.Record).Value!;
        return new PublicationEntry(
            row.Id, row.ReviewId, AudienceCode((PublicationAudience)row.Audience), row.Channel, row.ItemSequence, KindCode(record.Item.Header.Kind), row.ItemLanguage,
            row.AuthorState, row.PublisherState, row.Segments, [.. record.Disclosed.Select(d => d.Index)], row.PublishedAt, row.StoredAt, row.VisibleFrom,
            row.EntryIdx, row.ItemEntryIdx, withdrawal?.WithdrawnAt, withdrawal?.EntryIdx, PublicationRoutes.PageOf(row.Id), PublicationRoutes.PortalRecordOf(row.Id));
    }

    /// <summary><c>states</c> or <c>public</c>.</summary>
    public static string AudienceCode(PublicationAudience audience) => audience == PublicationAudience.Public ? "public" : "states";

    /// <summary>An item kind in kebab case (<c>questionnaire-response</c>), as the CLI names it.</summary>
    public static string KindCode(Vault.Envelopes.ItemKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private async Task<List<Stored>> LoadAsync(IQueryable<PublicationEntity> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = rows.Select(r => r.Id).ToList();
        var withdrawals = await db.PublicationWithdrawals.AsNoTracking().Where(w => ids.Contains(w.PublicationId))
            .ToDictionaryAsync(w => w.PublicationId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.StoredAt).ThenBy(r => r.EntryIdx).Select(r => new Stored(r, withdrawals.GetValueOrDefault(r.Id)))];
    }
}
