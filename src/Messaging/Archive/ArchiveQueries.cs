using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// The archive's read endpoints, for the review's members and its assigned secretariat (<see cref="ReviewAccess"/>).
/// Entries of a channel the caller does not read (envelopes, epoch records) are served as their leaf hash only, so
/// every member can recompute and check the whole tree without seeing other channels' items.
/// </summary>
internal sealed class ArchiveQueries(MessagingDbContext db, ReviewAccess access, ArchiveReader reader, CheckpointService checkpoints)
{
    public const int DefaultEntryLimit = 100;

    public async Task<Outcome<ArchiveCheckpoint>> CheckpointAsync(Caller caller, Guid review, long? size, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        if (size < 0)
        {
            return ApiErrors.BadRequest("'size' is a tree size (0 or more).");
        }

        var logSize = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        if (size is null)
        {
            return new ArchiveCheckpoint(await checkpoints.LatestAsync(db, review, logSize, cancellationToken).ConfigureAwait(false));
        }

        var note = await checkpoints.AtLeastAsync(db, review, size.Value, logSize, cancellationToken).ConfigureAwait(false);
        return note is null ? ApiErrors.NotFound($"The log has {logSize} entries, fewer than {size}.") : new ArchiveCheckpoint(note);
    }

    public async Task<Outcome<ArchiveEntryPage>> EntriesAsync(Caller caller, Guid review, long? start, int? limit, CancellationToken cancellationToken)
    {
        var outcome = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var membership, out var error))
        {
            return error;
        }

        var from = start ?? 0;
        var take = limit ?? DefaultEntryLimit;
        if (from < 0 || take is < 1 or > HttpRoutes.MaxArchiveEntryPageSize)
        {
            return ApiErrors.BadRequest($"'start' is an index (0 or more) and 'limit' is 1 to {HttpRoutes.MaxArchiveEntryPageSize}.");
        }

        var size = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        var entries = await reader.ReadEntriesAsync(review, from, (int)Math.Min(take, Math.Max(0, size - from)), cancellationToken).ConfigureAwait(false);
        var items = entries
            .Select(e => new ArchiveEntryItem(e.Index, (int)e.Kind, e.Channel is null || membership.Reads(e.Channel) ? e.Encoded : null, e.LeafHash))
            .ToList();
        var next = from + items.Count < size && items.Count > 0 ? from + items.Count : (long?)null;
        return new ArchiveEntryPage(items, next, size);
    }

    public async Task<Outcome<ArchiveInclusionProofs>> InclusionAsync(Caller caller, Guid review, long? size, long[]? indexes, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var logSize = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        if (size is not { } treeSize || treeSize < 1 || treeSize > logSize)
        {
            return ApiErrors.BadRequest($"'size' is a tree size from 1 to the log's size ({logSize}).");
        }

        if (indexes is null || indexes.Length is 0 or > HttpRoutes.MaxArchiveProofsPerRequest || indexes.Any(i => i < 0 || i >= treeSize))
        {
            return ApiErrors.BadRequest($"Give 1 to {HttpRoutes.MaxArchiveProofsPerRequest} 'index' values, each below 'size'.");
        }

        var proofs = await reader.InclusionProofsAsync(review, treeSize, indexes, cancellationToken).ConfigureAwait(false);
        return new ArchiveInclusionProofs(treeSize, [.. proofs.Select(p => new ArchiveInclusionProof(p.Index, p.LeafHash, p.Proof))]);
    }

    public async Task<Outcome<ArchiveRangeProof>> RangeAsync(Caller caller, Guid review, long? size, long? start, long? end, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var logSize = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        if (size is not { } treeSize || treeSize < 1 || treeSize > logSize)
        {
            return ApiErrors.BadRequest($"'size' is a tree size from 1 to the log's size ({logSize}).");
        }

        if (start is not { } a || end is not { } b || a < 0 || b <= a || b > treeSize || b - a > HttpRoutes.MaxArchiveRangeProofLeaves)
        {
            return ApiErrors.BadRequest($"'start' and 'end' are indexes with 0 <= start < end <= size and at most {HttpRoutes.MaxArchiveRangeProofLeaves} entries between them.");
        }

        return new ArchiveRangeProof(treeSize, a, b, await reader.RangeProofAsync(review, treeSize, a, b, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Outcome<ArchiveConsistencyProof>> ConsistencyAsync(Caller caller, Guid review, long? from, long? to, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, review, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out _, out var error))
        {
            return error;
        }

        var logSize = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        if (from is not { } m || to is not { } n || m < 0 || m > n || n > logSize)
        {
            return ApiErrors.BadRequest($"'from' and 'to' are tree sizes with 0 <= from <= to <= {logSize} (the log's size).");
        }

        return new ArchiveConsistencyProof(m, n, await reader.ConsistencyProofAsync(review, m, n, cancellationToken).ConfigureAwait(false));
    }
}
