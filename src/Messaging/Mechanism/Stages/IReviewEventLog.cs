namespace SecureDialogue.Messaging.Mechanism.Stages;

/// <summary>
/// THE HOOK FOR THE REVIEW'S ARCHIVE LOG (branch <c>archlog</c>): every stage change and every accepted disclosure
/// policy statement is handed to <see cref="AppendAsync"/> after it is stored, with the exact bytes the log entry
/// carries (docs/protocol.md 19.1 for a policy statement, 19.2 for a stage event). When the archive log lands,
/// register an implementation that appends them to the review's log; until then <see cref="UnloggedReviewEvents"/>
/// does nothing and the database tables (<c>review_stage_events</c>, <c>disclosure_policies</c>) are the record.
/// </summary>
internal interface IReviewEventLog
{
    /// <summary>Appends one event of <paramref name="kind"/> to the review's log.</summary>
    Task AppendAsync(Guid reviewId, ReviewEventKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>What a review log event is.</summary>
internal enum ReviewEventKind
{
    /// <summary>A stage change (payload: docs/protocol.md 19.2).</summary>
    StageChanged = 1,

    /// <summary>A disclosure policy statement (payload: the signed statement, docs/protocol.md 19.1).</summary>
    DisclosurePolicy = 2,
}

/// <summary>The default <see cref="IReviewEventLog"/> until the archive log is merged: appends nothing.</summary>
internal sealed class UnloggedReviewEvents : IReviewEventLog
{
    public Task AppendAsync(Guid reviewId, ReviewEventKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => Task.CompletedTask;
}
