using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Mechanism.Stages;

/// <summary>
/// Where stage changes and accepted disclosure policy statements go besides their tables: the review's archive log,
/// in the caller's open transaction, with the exact bytes the log entry carries (docs/protocol.md 19.1 for a policy
/// statement, 19.2 for a stage event), so that the row and its archive entry commit together.
/// </summary>
internal interface IReviewEventLog
{
    /// <summary>Appends one event of <paramref name="kind"/> to the review's log inside <paramref name="db"/>'s current transaction.</summary>
    Task AppendAsync(MessagingDbContext db, Guid reviewId, ReviewEventKind kind, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}

/// <summary>What a review log event is.</summary>
internal enum ReviewEventKind
{
    /// <summary>A stage change (payload: docs/protocol.md 19.2), archived as <see cref="ArchiveEntryKind.StageChange"/>.</summary>
    StageChanged = 1,

    /// <summary>A disclosure policy statement (payload: the signed statement, docs/protocol.md 19.1), archived as <see cref="ArchiveEntryKind.PolicyChange"/>.</summary>
    DisclosurePolicy = 2,
}

/// <summary>The review's archive log as the <see cref="IReviewEventLog"/>.</summary>
internal sealed class ArchivedReviewEvents(ArchiveWriter archive) : IReviewEventLog
{
    public async Task AppendAsync(MessagingDbContext db, Guid reviewId, ReviewEventKind kind, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var entryKind = kind switch
        {
            ReviewEventKind.StageChanged => ArchiveEntryKind.StageChange,
            ReviewEventKind.DisclosurePolicy => ArchiveEntryKind.PolicyChange,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown review event."),
        };
        var time = DateTimeOffset.FromUnixTimeMilliseconds(receivedAt.ToUnixTimeMilliseconds());
        await archive.AppendAsync(db, reviewId, [ArchiveRecord.Stored(entryKind, payload, time)], cancellationToken).ConfigureAwait(false);
    }
}
