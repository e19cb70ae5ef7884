namespace SecureDialogue.Client.Profile;

/// <summary>
/// What the profile keeps for one channel (<c>channel.json</c>). Epoch records are kept as bytes and verified
/// again on every load; epoch keys are never written (they are unwrapped again with the device key).
/// Plaintext is never written: items are fetched and decrypted again when read.
/// </summary>
internal sealed class ChannelStateDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>The highest channel sequence processed (opened and classified).</summary>
    public long LastSequence { get; set; }

    /// <summary>The trust anchor (device id) that authored the accepted epoch 0.</summary>
    public string? GenesisAnchor { get; set; }

    /// <summary>Accepted epoch records in order, each with the sequence it was stored after.</summary>
    public List<StoredEpochRecord> Epochs { get; set; } = [];

    /// <summary>Validly signed records that contradict accepted ones: evidence of a fork, kept for reporting.</summary>
    public List<byte[]> ForkEvidence { get; set; } = [];

    /// <summary>Per-sender counters (<see cref="Channels.SenderLedger"/>).</summary>
    public List<SenderLedgerState> Senders { get; set; } = [];

    /// <summary>Verdicts of processed items that were not plain in-order deliveries.</summary>
    public List<CachedVerdict> Verdicts { get; set; } = [];

    /// <summary>Sequence ranges the server skipped.</summary>
    public List<SequenceGap> SequenceGaps { get; set; } = [];
}

/// <summary>An accepted epoch record.</summary>
/// <param name="Record">The encoded record.</param>
/// <param name="StoredAfterSequence">
/// The last envelope sequence stored before it; items at or below it are history of the epochs before. When the
/// server did not report it, <see cref="long.MaxValue"/> lowered to just before the first opened item of this
/// epoch or a later one.
/// </param>
/// <param name="ServerReported">True when the server reported <paramref name="StoredAfterSequence"/>; false when the client inferred it.</param>
internal sealed record StoredEpochRecord(byte[] Record, long StoredAfterSequence, bool ServerReported);

/// <summary>Saved state of one sender's counters.</summary>
internal sealed record SenderLedgerState(string Device, ulong Last, List<ulong> Missing);

/// <summary>How an item was classified when first processed.</summary>
internal enum CachedVerdictKind
{
    /// <summary>It did not open; it is opened again on every read and observed if it ever opens.</summary>
    Rejected = 1,

    /// <summary>It opened after a counter gap of <see cref="CachedVerdict.Missing"/> items.</summary>
    Gap = 2,

    /// <summary>It opened and filled an earlier gap.</summary>
    Late = 3,

    /// <summary>It opened with a counter already seen.</summary>
    Replayed = 4,
}

/// <summary>A cached verdict.</summary>
internal sealed record CachedVerdict(long Sequence, CachedVerdictKind Kind, ulong Missing);

/// <summary>Sequences <paramref name="From"/> to <paramref name="To"/> (inclusive) never delivered.</summary>
internal sealed record SequenceGap(long From, long To);

/// <summary>The own send counter of a channel (<c>counter.json</c>), changed under a lock file.</summary>
internal sealed record CounterDocument(ulong Counter);
