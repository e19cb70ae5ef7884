using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// How the scriptable server misbehaves. Every hook is off by default (an honest server following the
/// binding design). Set hooks before the client action they should affect.
/// </summary>
internal sealed class ServerScript
{
    /// <summary>Sequences omitted from envelope fetches (the server drops them).</summary>
    public HashSet<long> HiddenSequences { get; } = [];

    /// <summary>Per account id: epoch records shown instead of the stored ones (a split view).</summary>
    public Dictionary<Guid, List<byte[]>> EpochViews { get; } = [];

    /// <summary>Changes every served correction or retraction (a misbehaving server); null serves them as stored.</summary>
    public Func<AmendmentEntry, AmendmentEntry>? TamperAmendments { get; set; }

    /// <summary>One-shot: after storing the next envelope, drop the connection instead of acknowledging.</summary>
    public bool DropConnectionAfterStore { get; set; }

    /// <summary>One-shot: store the next envelope without any check (a colluding server).</summary>
    public bool StoreNextWithoutValidation { get; set; }

    /// <summary>Serve envelopes and records to accounts that are no longer members (a colluding server).</summary>
    public bool ServeNonMembers { get; set; }

    /// <summary>Refuse envelope posts with 503 and drop hub sends without storing (the server is down for sends).</summary>
    public bool Unavailable { get; set; }

    /// <summary>Leave <see cref="EpochRecordEntry.StoredAfterSequence"/> out of epoch fetches (a server that does not report it).</summary>
    public bool OmitStoredAfterSequence { get; set; }

    /// <summary>Refuse hub connections (clients fall back to HTTP).</summary>
    public bool RefuseHub { get; set; }

    /// <summary>How many envelopes arrived through the hub.</summary>
    public int HubSends { get; set; }

    /// <summary>Every acknowledgement the server sent or would have sent, in order.</summary>
    public List<SendAck> Acks { get; } = [];

    /// <summary>Every problem type the server answered an envelope or record post with.</summary>
    public List<string> Refusals { get; } = [];

    /// <summary>Keep an archive log per review, serve archive indexes and the archive API (off: the pre-archive server).</summary>
    public bool Archive { get; set; }

    /// <summary>Log envelopes whole, as logs created before the server recorded summaries (off: summaries, served with form 1).</summary>
    public bool ArchiveWholeEnvelopes { get; set; }

    /// <summary>Serve each envelope with the other archive form than the one logged (a lie the inclusion check catches).</summary>
    public bool MisstateArchiveForm { get; set; }

    /// <summary>Accounts shown a forked log: checkpoints whose root is not the log's, validly signed (split view).</summary>
    public HashSet<Guid> ArchiveForkFor { get; } = [];

    /// <summary>Serve, freshly signed, the checkpoint of this smaller size instead of the current one (rollback).</summary>
    public long? ArchiveRollbackTo { get; set; }

    /// <summary>Range proofs are served with their first hash altered (the entries themselves are honest).</summary>
    public bool ArchiveBadRangeProofs { get; set; }

    /// <summary>Range proof requests are answered 404 (a server without the endpoint).</summary>
    public bool ArchiveNoRangeProofs { get; set; }

    /// <summary>Range proofs served so far.</summary>
    public int ArchiveRangeProofsServed { get; set; }

    /// <summary>Serve the first checkpoint ever signed, for ever (a frozen log).</summary>
    public bool FreezeArchive { get; set; }

    /// <summary>Sign checkpoints with a key that is not the one the server lists (a foreign root).</summary>
    public bool ForeignArchiveKey { get; set; }

    /// <summary>One-shot: the next epoch record is stored and served with an archive index whose entry holds other bytes (a record not in the log).</summary>
    public bool ArchiveOtherEpochRecord { get; set; }

    /// <summary>Serve epoch records without their archive indexes (a server hiding them from the log's checks).</summary>
    public bool OmitEpochArchiveIndexes { get; set; }

    /// <summary>Archive trust and disclosure policy statements stored from now on and serve their indexes (with <see cref="Archive"/> on).</summary>
    public bool ArchiveStatements { get; set; }

    /// <summary>One-shot: the next trust statement is stored and served with an archive index whose entry holds other bytes (a statement not in the log).</summary>
    public bool ArchiveOtherTrustStatement { get; set; }

    /// <summary>Cosigned checkpoints received.</summary>
    public List<string> Cosignatures { get; } = [];
}
