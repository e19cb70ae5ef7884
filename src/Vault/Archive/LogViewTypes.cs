namespace SecureDialogue.Vault.Archive;

/// <summary>Client policy for a <see cref="LogView"/>.</summary>
public sealed class LogViewOptions
{
    /// <summary>A checkpoint whose signed time is older than this is stale (freeze detection). Default 24 hours.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future a signed time may be before the checkpoint is refused. Default 10 minutes.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many verified tree heads (size, root) are kept for inclusion checks. Default 64.</summary>
    public int RememberedTreeHeads { get; init; } = 64;
}

/// <summary>What <see cref="LogView.Update(SignedCheckpoint, IReadOnlyList{byte[]})"/> did with a valid checkpoint.</summary>
public enum CheckpointUpdate
{
    /// <summary>Not a valid value.</summary>
    None = 0,

    /// <summary>The first checkpoint of this view (trusted on first use, consistent with the empty tree).</summary>
    First,

    /// <summary>A larger tree, consistent with the stored one: now the current checkpoint.</summary>
    Advanced,

    /// <summary>The same tree with a later signed time: only the freshness changed.</summary>
    Refreshed,

    /// <summary>The same tree, not newer (a replay): nothing changed.</summary>
    Unchanged,
}

/// <summary>The outcome of comparing this client's checkpoint with another client's (gossip).</summary>
public enum GossipVerdict
{
    /// <summary>Not a valid value.</summary>
    None = 0,

    /// <summary>Both checkpoints are views of one append-only log.</summary>
    Consistent,

    /// <summary>Split view: the log showed the two clients different logs. The view halted; evidence is kept.</summary>
    SplitView,
}

/// <summary>Why a <see cref="LogView"/> refused something (docs/protocol.md, section 15.7).</summary>
public enum LogViewError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The checkpoint is larger than its maximum size.</summary>
    CheckpointTooLarge,

    /// <summary>The checkpoint did not parse (see <see cref="CheckpointError.Malformed"/>).</summary>
    CheckpointMalformed,

    /// <summary>The checkpoint has too many signature lines.</summary>
    TooManySignatures,

    /// <summary>The checkpoint is for another log.</summary>
    WrongOrigin,

    /// <summary>No valid signature by a log key covering its size (unsigned, foreign or retired key).</summary>
    NotSigned,

    /// <summary>A known key's signature line does not verify.</summary>
    BadSignature,

    /// <summary>No valid log timestamp line.</summary>
    NoTimestamp,

    /// <summary>The signed time is further in the future than the allowed clock skew.</summary>
    FutureTimestamp,

    /// <summary>A smaller tree than the stored one: refused, nothing changed.</summary>
    Rollback,

    /// <summary>
    /// The checkpoint is not consistent with what this view holds. Against a stored checkpoint the log contradicted
    /// itself and the view halted with evidence (same size with another root, a consistency proof that does not
    /// verify, or a later signed time on a smaller tree); for a first checkpoint, the proof from the empty tree
    /// was not empty (refused, nothing stored).
    /// </summary>
    Inconsistent,

    /// <summary>Nothing to compare or verify against yet: no checkpoint accepted.</summary>
    NoCheckpoint,

    /// <summary>The tree size named is not one this view verified (or remembers).</summary>
    UnknownTreeSize,

    /// <summary>The entry does not decode.</summary>
    EntryMalformed,

    /// <summary>The entry belongs to another review's log, or its index is not the position claimed.</summary>
    WrongEntry,

    /// <summary>The entry does not verify by inclusion (or the entries do not recompute to the signed root): halted with evidence.</summary>
    InclusionFailed,

    /// <summary>The view halted earlier on a mismatch; it refuses everything until the user acts on the evidence.</summary>
    Halted,
}
