using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// A client's verified view of one review's archive log (docs/protocol.md, section 15.7). It holds the last
/// checkpoint it verified and accepts a new one only when the log signed it (a log key covering its size, with
/// a signed time) and it is consistent with the stored one: a larger tree with a valid RFC 9162 consistency
/// proof, or the same tree. It refuses smaller trees (rollback), flags a checkpoint whose signed time is older
/// than <see cref="LogViewOptions.MaxAge"/> (freeze), verifies entries by inclusion against checkpoints it
/// verified, and compares checkpoints with other clients (gossip). On any contradiction it halts, keeps both
/// signed checkpoints as <see cref="Evidence"/>, and refuses everything after.
/// </summary>
/// <remarks>Thread-safe. Persist it with <see cref="ExportState"/> and <see cref="Restore"/>.</remarks>
public sealed class LogView
{
    private const string StateFormat = "securedialogue-archive-view/v1";

    private readonly ArchiveKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly LogViewOptions _options;
    private readonly Lock _lock = new();

    // Verified checkpoints by size: each is consistent with the current one, so each is a root to verify
    // inclusion against and the signed statement to show as evidence. Bounded; the current one is never dropped.
    private readonly SortedDictionary<long, VerifiedCheckpoint> _treeHeads = [];
    private VerifiedCheckpoint? _current;
    private ArchiveEvidence? _evidence;

    /// <summary>A view of <paramref name="review"/>'s log with no checkpoint yet.</summary>
    public LogView(Guid review, ArchiveKeyRing keys, TimeProvider time, LogViewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        Review = review;
        Origin = ArchiveOrigin.ForReview(review);
        _keys = keys;
        _time = time;
        _options = options ?? new LogViewOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.RememberedTreeHeads, 1, nameof(options));
    }

    /// <summary>The review.</summary>
    public Guid Review { get; }

    /// <summary>The log's origin line.</summary>
    public string Origin { get; }

    /// <summary>The last checkpoint verified; null before the first.</summary>
    public VerifiedCheckpoint? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>True once a contradiction was found; see <see cref="Evidence"/>.</summary>
    public bool IsHalted => Evidence is not null;

    /// <summary>The evidence of the contradiction that halted this view.</summary>
    public ArchiveEvidence? Evidence
    {
        get
        {
            lock (_lock)
            {
                return _evidence;
            }
        }
    }

    /// <summary>
    /// True when there is no checkpoint, or the current one's signed time is older than
    /// <see cref="LogViewOptions.MaxAge"/>: the log may be frozen for this client. Show it; refresh.
    /// </summary>
    public bool IsStale => Age is not { } age || age > _options.MaxAge;

    /// <summary>How old the current checkpoint's signed time is; null without a checkpoint.</summary>
    public TimeSpan? Age
    {
        get
        {
            var current = Current;
            return current is null ? null : _time.GetUtcNow() - current.Time;
        }
    }

    /// <summary>Parses and applies a checkpoint from the log; see <see cref="Update(SignedCheckpoint, IReadOnlyList{byte[]})"/>.</summary>
    public Result<CheckpointUpdate, LogViewError> Update(ReadOnlySpan<byte> checkpoint, IReadOnlyList<byte[]> consistencyProof)
    {
        var parsed = SignedCheckpoint.Parse(checkpoint);
        return parsed.TryGetValue(out var note, out var error) ? Update(note, consistencyProof) : Map(error);
    }

    /// <summary>
    /// Applies a checkpoint served by the log with the consistency proof from the current checkpoint's size
    /// to its size (empty when either is the same tree or there is no current checkpoint). In order:
    /// halted: <see cref="LogViewError.Halted"/>; not validly signed for this log: the checkpoint error;
    /// signed time beyond the allowed skew: <see cref="LogViewError.FutureTimestamp"/>; then against the
    /// current checkpoint: same size and root → <see cref="CheckpointUpdate.Refreshed"/> when its time is
    /// later, else <see cref="CheckpointUpdate.Unchanged"/>; same size, other root → halt (fork); smaller →
    /// <see cref="LogViewError.Rollback"/>, and a halt if its signed time is later than the current one's;
    /// larger → halt unless the proof verifies and its time is not earlier, else <see cref="CheckpointUpdate.Advanced"/>.
    /// </summary>
    public Result<CheckpointUpdate, LogViewError> Update(SignedCheckpoint checkpoint, IReadOnlyList<byte[]> consistencyProof)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (!VerifyLocked(checkpoint).TryGetValue(out var verified, out var error))
            {
                return error;
            }

            if (_current is null)
            {
                if (!MerkleProofs.VerifyConsistency(0, verified.TreeSize, MerkleHash.EmptyRoot(), verified.RootHash, consistencyProof))
                {
                    return LogViewError.Inconsistent;
                }

                Accept(verified);
                return CheckpointUpdate.First;
            }

            var current = _current;
            if (verified.TreeSize < current.TreeSize)
            {
                if (verified.Time > current.Time)
                {
                    Halt(new ArchiveEvidence(ArchiveEvidenceKind.SignedRollback, false, _time.GetUtcNow(), current.Note, verified.Note, []));
                }

                return LogViewError.Rollback;
            }

            var comparison = Compare(current, verified, consistencyProof, fromPeer: false);
            if (comparison is not null)
            {
                Halt(comparison);
                return LogViewError.Inconsistent;
            }

            if (verified.TreeSize == current.TreeSize)
            {
                if (verified.Time <= current.Time)
                {
                    return CheckpointUpdate.Unchanged;
                }

                Accept(verified);
                return CheckpointUpdate.Refreshed;
            }

            Accept(verified);
            return CheckpointUpdate.Advanced;
        }
    }

    /// <summary>
    /// Verifies an entry served with its inclusion proof in the tree of <paramref name="treeSize"/> leaves, a size
    /// this view verified (the current one or a remembered earlier one). The entry must decode, belong to this
    /// review, and its leaf hash at its own index must verify against that root; a well-formed entry of this review
    /// that does not verify halts the view with the checkpoint, entry and proof as evidence.
    /// </summary>
    public Result<ArchiveEntry, LogViewError> VerifyEntry(ReadOnlySpan<byte> encodedEntry, long treeSize, IReadOnlyList<byte[]> inclusionProof)
    {
        ArgumentNullException.ThrowIfNull(inclusionProof);
        var decoded = ArchiveEntry.Decode(encodedEntry);
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (_current is null)
            {
                return LogViewError.NoCheckpoint;
            }

            if (!_treeHeads.TryGetValue(treeSize, out var head))
            {
                return LogViewError.UnknownTreeSize;
            }

            if (!decoded.TryGetValue(out var entry, out _))
            {
                return LogViewError.EntryMalformed;
            }

            if (entry.Review != Review)
            {
                return LogViewError.WrongEntry;
            }

            if (!MerkleProofs.VerifyInclusion(MerkleHash.Leaf(encodedEntry), entry.Index, treeSize, head.RootHash, inclusionProof))
            {
                Halt(new ArchiveEvidence(
                    ArchiveEvidenceKind.InclusionFailure, false, _time.GetUtcNow(), head.Note, null, inclusionProof,
                    encodedEntry.ToArray(), treeSize));
                return LogViewError.InclusionFailed;
            }

            return entry;
        }
    }

    /// <summary>
    /// Verifies a contiguous run of entries served with one range proof (docs/protocol.md 16.3) in the tree of
    /// <paramref name="treeSize"/> leaves, a size this view verified. Each entry must decode, belong to this review and
    /// carry the index after the previous one's; their leaf hashes and the proof must recompute that tree's signed root,
    /// else the view halts (root mismatch, with the checkpoint, the proof and the root they gave as evidence). Returns
    /// the decoded entries in order. With <paramref name="haltOnMismatch"/> false, a proof that does not recompute the root
    /// is <see cref="LogViewError.InclusionFailed"/> without halting: for a caller that then checks the same entries by
    /// inclusion, to keep the entry that failed as evidence, and calls again with true if they all verify.
    /// </summary>
    public Result<IReadOnlyList<ArchiveEntry>, LogViewError> VerifyRange(
        IReadOnlyList<ReadOnlyMemory<byte>> encodedEntries, long treeSize, IReadOnlyList<byte[]> rangeProof, bool haltOnMismatch = true)
    {
        ArgumentNullException.ThrowIfNull(encodedEntries);
        ArgumentNullException.ThrowIfNull(rangeProof);
        if (encodedEntries.Count is 0 or > MerkleRangeProofs.MaxRangeLeaves)
        {
            return LogViewError.WrongEntry;
        }

        var entries = new List<ArchiveEntry>(encodedEntries.Count);
        var leaves = new List<byte[]>(encodedEntries.Count);
        foreach (var encoded in encodedEntries)
        {
            if (!ArchiveEntry.Decode(encoded.Span).TryGetValue(out var entry, out _))
            {
                return LogViewError.EntryMalformed;
            }

            if (entry.Review != Review || (entries.Count > 0 && entry.Index != entries[0].Index + entries.Count))
            {
                return LogViewError.WrongEntry;
            }

            entries.Add(entry);
            leaves.Add(MerkleHash.Leaf(encoded.Span));
        }

        var start = entries[0].Index;
        if (start + entries.Count > treeSize)
        {
            return LogViewError.WrongEntry;
        }

        var computed = MerkleRangeProofs.Root(leaves, start, treeSize, rangeProof);
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (_current is null)
            {
                return LogViewError.NoCheckpoint;
            }

            if (!_treeHeads.TryGetValue(treeSize, out var head))
            {
                return LogViewError.UnknownTreeSize;
            }

            // A proof that does not fold (wrong length, a hash not 32 bytes) fails like one that folds to another root.
            var root = computed.IsSuccess ? computed.Value! : null;
            if (root is null || !CryptographicOperations.FixedTimeEquals(root, head.RootHash))
            {
                if (!haltOnMismatch)
                {
                    return LogViewError.InclusionFailed;
                }

                Halt(new ArchiveEvidence(
                    ArchiveEvidenceKind.RootMismatch, false, _time.GetUtcNow(), head.Note, null,
                    rangeProof.Count <= MerkleRangeProofs.MaxProofLength ? rangeProof : [], null, treeSize, root ?? new byte[MerkleHash.Size]));
                return LogViewError.InclusionFailed;
            }
        }

        return entries;
    }

    /// <summary>
    /// Verifies a whole log prefix: <paramref name="entries"/> are leaves 0, 1, ... of the tree of the current
    /// checkpoint or a remembered one of exactly that many leaves. Each must decode, belong to this review and carry
    /// its position as index; their root must be the signed root, else the view halts (root mismatch). Streams with
    /// O(log n) memory.
    /// </summary>
    public Result<long, LogViewError> VerifyEntries(IEnumerable<ReadOnlyMemory<byte>> entries, long treeSize)
    {
        ArgumentNullException.ThrowIfNull(entries);
        VerifiedCheckpoint head;
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (_current is null)
            {
                return LogViewError.NoCheckpoint;
            }

            if (!_treeHeads.TryGetValue(treeSize, out head!))
            {
                return LogViewError.UnknownTreeSize;
            }
        }

        var frontier = new MerkleFrontier();
        foreach (var encoded in entries)
        {
            if (!ArchiveEntry.Decode(encoded.Span).TryGetValue(out var entry, out _))
            {
                return LogViewError.EntryMalformed;
            }

            if (entry.Review != Review || entry.Index != frontier.Size || frontier.Size == treeSize)
            {
                return LogViewError.WrongEntry;
            }

            frontier.Append(MerkleHash.Leaf(encoded.Span));
        }

        var computed = frontier.Root();
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (frontier.Size != treeSize || !CryptographicOperations.FixedTimeEquals(computed, head.RootHash))
            {
                Halt(new ArchiveEvidence(ArchiveEvidenceKind.RootMismatch, false, _time.GetUtcNow(), head.Note, null, [], null, treeSize, computed));
                return LogViewError.InclusionFailed;
            }
        }

        return frontier.Size;
    }

    /// <summary>
    /// Compares this view's current checkpoint with one another client holds (gossip), using a consistency
    /// proof between their sizes (from the smaller to the larger, fetched from the log; empty for equal sizes).
    /// The peer's checkpoint must verify like any other (else its error, nothing else happens). Equal size and
    /// root, or a valid proof with signed times in order: <see cref="GossipVerdict.Consistent"/>. Otherwise
    /// <see cref="GossipVerdict.SplitView"/>: the view halts and keeps both checkpoints.
    /// </summary>
    public Result<GossipVerdict, LogViewError> CompareWithPeer(SignedCheckpoint peerCheckpoint, IReadOnlyList<byte[]> consistencyProof)
    {
        ArgumentNullException.ThrowIfNull(peerCheckpoint);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (_current is null)
            {
                return LogViewError.NoCheckpoint;
            }

            if (!VerifyLocked(peerCheckpoint).TryGetValue(out var peer, out var error))
            {
                return error;
            }

            var evidence = _current.TreeSize <= peer.TreeSize
                ? Compare(_current, peer, consistencyProof, fromPeer: true)
                : Compare(peer, _current, consistencyProof, fromPeer: true, peerIsOlder: true);
            if (evidence is not null)
            {
                Halt(evidence);
                return GossipVerdict.SplitView;
            }

            return GossipVerdict.Consistent;
        }
    }

    /// <summary>
    /// Cosigns the current checkpoint with a member device (a focal point's): a tlog-cosignature/v1 line with
    /// this client's time. Only a checkpoint this view verified can be cosigned; a halted view cosigns nothing.
    /// The result is what the client sends back to the log, which archives it as a
    /// <see cref="ArchiveEntryKind.Cosignature"/> entry.
    /// </summary>
    public Result<SignedCheckpoint, LogViewError> Cosign(DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_lock)
        {
            if (_evidence is not null)
            {
                return LogViewError.Halted;
            }

            if (_current is null)
            {
                return LogViewError.NoCheckpoint;
            }

            return CheckpointSigner.Cosign(device, _current.Note, _time.GetUtcNow());
        }
    }

    /// <summary>The view as JSON: the current checkpoint's text, remembered tree heads and any evidence.</summary>
    public byte[] ExportState()
    {
        lock (_lock)
        {
            using var stream = new MemoryStream();
            using (var json = new System.Text.Json.Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("format", StateFormat);
                json.WriteString("review", Review.ToString("D"));
                if (_current is not null)
                {
                    json.WriteString("current", _current.Note.Text);
                }

                json.WriteStartArray("tree_heads");
                foreach (var head in _treeHeads.Values)
                {
                    json.WriteStringValue(head.Note.Text);
                }

                json.WriteEndArray();
                if (_evidence is not null)
                {
                    json.WritePropertyName("evidence");
                    json.WriteRawValue(_evidence.ToJson());
                }

                json.WriteEndObject();
            }

            return stream.ToArray();
        }
    }

    /// <summary>
    /// Restores a view from <see cref="ExportState"/>. The current checkpoint is verified again with
    /// <paramref name="keys"/>; the state of another review, or one that does not verify, is refused.
    /// </summary>
    public static Result<LogView, LogViewError> Restore(
        ReadOnlySpan<byte> state, Guid review, ArchiveKeyRing keys, TimeProvider time, LogViewOptions? options = null)
    {
        var view = new LogView(review, keys, time, options);
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(state, new System.Text.Json.JsonReaderOptions { MaxDepth = 8 });
            using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != StateFormat || root.GetProperty("review").GetString() != review.ToString("D"))
            {
                return LogViewError.WrongOrigin;
            }

            if (root.TryGetProperty("current", out var current))
            {
                var parsed = SignedCheckpoint.Parse(current.GetString()!);
                if (!parsed.TryGetValue(out var note, out var parseError))
                {
                    return Map(parseError);
                }

                if (!note.Verify(keys, view.Origin).TryGetValue(out var verified, out var verifyError))
                {
                    return Map(verifyError);
                }

                view._current = verified;
                // Earlier heads were verified consistent with the current one when accepted; their signatures are
                // checked again here, and none may be larger than the current one.
                foreach (var text in root.GetProperty("tree_heads").EnumerateArray())
                {
                    if (!SignedCheckpoint.Parse(text.GetString()!).TryGetValue(out var headNote, out var headError))
                    {
                        return Map(headError);
                    }

                    if (!headNote.Verify(keys, view.Origin).TryGetValue(out var head, out var headVerifyError))
                    {
                        return Map(headVerifyError);
                    }

                    if (head.TreeSize > verified.TreeSize || (head.TreeSize == verified.TreeSize && !head.Note.SameTreeHead(verified.Note)))
                    {
                        return LogViewError.CheckpointMalformed;
                    }

                    view._treeHeads[head.TreeSize] = head;
                }

                view._treeHeads[verified.TreeSize] = verified;
            }

            if (root.TryGetProperty("evidence", out var evidence))
            {
                var parsed = ArchiveEvidence.Parse(System.Text.Encoding.UTF8.GetBytes(evidence.GetRawText()));
                if (!parsed.TryGetValue(out var value, out var evidenceError))
                {
                    return Map(evidenceError);
                }

                view._evidence = value;
            }

            return view;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            return LogViewError.CheckpointMalformed;
        }
    }

    private static LogViewError Map(CheckpointError error) => error switch
    {
        CheckpointError.TooLarge => LogViewError.CheckpointTooLarge,
        CheckpointError.TooManySignatures => LogViewError.TooManySignatures,
        CheckpointError.WrongOrigin => LogViewError.WrongOrigin,
        CheckpointError.NotSigned => LogViewError.NotSigned,
        CheckpointError.BadSignature => LogViewError.BadSignature,
        CheckpointError.NoTimestamp => LogViewError.NoTimestamp,
        _ => LogViewError.CheckpointMalformed,
    };

    private Result<VerifiedCheckpoint, LogViewError> VerifyLocked(SignedCheckpoint checkpoint)
    {
        if (!checkpoint.Verify(_keys, Origin).TryGetValue(out var verified, out var error))
        {
            return Map(error);
        }

        if (verified.Time > _time.GetUtcNow() + _options.MaxClockSkew)
        {
            return LogViewError.FutureTimestamp;
        }

        return verified;
    }

    // Evidence when `older` (smaller or equal size) and `newer` are not views of one append-only log, else null.
    private ArchiveEvidence? Compare(VerifiedCheckpoint older, VerifiedCheckpoint newer, IReadOnlyList<byte[]> proof, bool fromPeer, bool peerIsOlder = false)
    {
        var now = _time.GetUtcNow();
        var (first, second) = peerIsOlder ? (newer.Note, older.Note) : (older.Note, newer.Note);
        if (older.TreeSize == newer.TreeSize)
        {
            return CryptographicOperations.FixedTimeEquals(older.RootHash, newer.RootHash)
                ? null
                : new ArchiveEvidence(ArchiveEvidenceKind.Fork, fromPeer, now, first, second, []);
        }

        if (!MerkleProofs.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof))
        {
            return new ArchiveEvidence(ArchiveEvidenceKind.InconsistentCheckpoints, fromPeer, now, first, second, proof);
        }

        // The log said "as of T this is my largest tree": a later time on a smaller tree contradicts it.
        return older.Time > newer.Time
            ? new ArchiveEvidence(ArchiveEvidenceKind.SignedRollback, fromPeer, now, first, second, [])
            : null;
    }

    private void Accept(VerifiedCheckpoint verified)
    {
        _current = verified;
        _treeHeads[verified.TreeSize] = verified;
        while (_treeHeads.Count > _options.RememberedTreeHeads)
        {
            _treeHeads.Remove(_treeHeads.Keys.First());
        }
    }

    private void Halt(ArchiveEvidence evidence) => _evidence ??= evidence;
}
