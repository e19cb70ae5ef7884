namespace SecureDialogue.Contracts;

/// <summary>Routes of authors' corrections and retractions (docs/protocol.md section 21).</summary>
public static class AmendmentRoutes
{
    /// <summary>
    /// <c>GET</c> → <see cref="AmendmentEntry"/>[] of the channel in log order (its readers); <c>POST</c>
    /// <see cref="SubmitAmendment"/> → <see cref="AmendmentEntry"/> (201 stored, 200 the same bytes again; members who may post).
    /// </summary>
    public const string Amendments = "/api/reviews/{reviewId:guid}/channels/{channel}/amendments";

    /// <summary>The <see cref="Amendments"/> route for a channel.</summary>
    public static string AmendmentsOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/amendments";
}

/// <summary>An author's signed amendment statement and the channel sequences of the envelopes it names.</summary>
/// <param name="Statement">The statement exactly as the author's device signed it (docs/protocol.md 21.2).</param>
/// <param name="TargetSequence">The channel sequence of the amended envelope.</param>
/// <param name="ReplacementSequence">Corrections: the channel sequence of the replacement; null for retractions.</param>
public sealed record SubmitAmendment(byte[] Statement, long TargetSequence, long? ReplacementSequence);

/// <summary>A stored amendment statement.</summary>
/// <param name="Statement">The statement as signed.</param>
/// <param name="Action"><c>correct</c> or <c>retract</c>.</param>
/// <param name="TargetSequence">The amended envelope's channel sequence.</param>
/// <param name="ReplacementSequence">A correction's replacement's channel sequence; null for retractions.</param>
/// <param name="AuthorDevice">The signing device (the sender of both envelopes).</param>
/// <param name="StoredAt">When the server stored it (whole milliseconds: the archive entry's received-at).</param>
public sealed record AmendmentEntry(byte[] Statement, string Action, long TargetSequence, long? ReplacementSequence, string AuthorDevice, DateTimeOffset StoredAt)
{
    /// <summary>
    /// Its index in the review's archive log: the entry is (review, this index, kind Correction or Retraction,
    /// <see cref="StoredAt"/>, target = the amended envelope's archive index, inline <see cref="Statement"/>), which clients
    /// verify by inclusion (docs/protocol.md 16.7, 21.5).
    /// </summary>
    public long ArchiveIndex { get; init; }

    /// <summary>The archive index of the amended envelope's <c>Envelope</c> entry (the entry's target).</summary>
    public long TargetArchiveIndex { get; init; }
}
