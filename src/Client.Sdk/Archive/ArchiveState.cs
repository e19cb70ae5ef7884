using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Client.Archive;

/// <summary>A snapshot of this client's verified view of a review's archive log.</summary>
/// <param name="Review">The review.</param>
/// <param name="TreeSize">Entries covered by the last verified checkpoint; null before the first.</param>
/// <param name="RootHash">Its root (lower-case hex); null before the first.</param>
/// <param name="SignedAt">Its signed time; null before the first.</param>
/// <param name="Checkpoint">Its exact signed-note text; null before the first.</param>
/// <param name="IsStale">True when there is no checkpoint or its signed time is older than the freshness limit (a frozen log, or a quiet one).</param>
/// <param name="Evidence">Set once the log contradicted itself: the view halted; the evidence is kept in the profile.</param>
/// <param name="EvidencePath">Where the evidence file is, when there is evidence.</param>
/// <param name="LogKeys">The pinned log keys (signed-note verifier keys).</param>
public sealed record ArchiveState(
    Guid Review, long? TreeSize, string? RootHash, DateTimeOffset? SignedAt, string? Checkpoint, bool IsStale, ArchiveEvidence? Evidence, string? EvidencePath,
    IReadOnlyList<string> LogKeys)
{
    /// <summary>True once the view halted on a contradiction.</summary>
    public bool IsHalted => Evidence is not null;
}
