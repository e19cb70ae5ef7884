using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Profile;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Client.Archive;

/// <summary>
/// This client's verified view of one review's archive log (docs/protocol.md 16.7), shared by the review's channel
/// sessions: the log keys pinned on first use, a <see cref="LogView"/> holding the last verified checkpoint (persisted
/// in the profile, <c>reviews/&lt;review&gt;/archive.json</c>), inclusion checks of the items the client receives, and
/// cosignatures of checkpoints it verified. On a contradiction the view halts; both signed checkpoints (and the proof
/// or entry) are kept in the profile (<c>archive-evidence.json</c>) and every later check fails until the user acts.
/// </summary>
#pragma warning disable CA1001 // The semaphore's wait handle is never created (only WaitAsync and Release), so it holds nothing to dispose.
public sealed partial class ReviewArchive
#pragma warning restore CA1001
{
    private const int StateVersion = 1;
    private const long MaxStateSize = 8L * 1024 * 1024;

    /// <summary>Inclusion-proof requests of one page in flight at once (bounded: a page is at most 5 requests).</summary>
    private const int MaxConcurrentProofRequests = 4;

    private readonly ClientCore _core;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger;
    private LogView? _view;
    private List<ArchiveLogKey>? _keys;

    // Leaf hashes already verified against a checkpoint of this view, by archive index: the statements are served whole
    // on every refresh, and only new ones need a proof; an item at an index never verified (all of them when catching up)
    // costs no hashing to find that out. Never consulted once the view halted.
    private readonly Dictionary<long, byte[]> _verifiedLeaves = [];

    internal ReviewArchive(ClientCore core, Guid review)
    {
        _core = core;
        Review = review;
        _logger = core.LoggerFactory.CreateLogger<ReviewArchive>();
    }

    /// <summary>The review.</summary>
    public Guid Review { get; }

    private string StatePath => Path.Combine(_core.Layout.ServerDirectory, "reviews", Review.ToString("D"), "archive.json");

    private string EvidencePath => Path.Combine(_core.Layout.ServerDirectory, "reviews", Review.ToString("D"), "archive-evidence.json");

    /// <summary>The current state (loads the profile's copy; no network).</summary>
    public ArchiveState GetState()
    {
        _gate.Wait();
        try
        {
            Load();
            return Snapshot();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Fetches the latest checkpoint (or the smallest of at least <paramref name="atLeast"/> entries) and applies it
    /// with the consistency proof from the stored one. Returns what happened, or why it was refused.
    /// </summary>
    public async Task<Result<CheckpointUpdate, ArchiveCheckError>> RefreshAsync(long? atLeast = null, bool mayCosign = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshCoreAsync(atLeast, mayCosign, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Compares this client's checkpoint with one another member holds (gossip, security bar 14): verified like any
    /// checkpoint, then checked by consistency with a proof from the log. A split view halts the view with both
    /// checkpoints as evidence.
    /// </summary>
    public async Task<Result<GossipVerdict, ArchiveCheckError>> CompareWithPeerAsync(string peerCheckpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peerCheckpoint);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await ReadyAsync(cancellationToken).ConfigureAwait(false) is { } notReady)
            {
                return notReady;
            }

            var view = _view!;
            if (!SignedCheckpoint.Parse(peerCheckpoint).TryGetValue(out var peer, out var parseError))
            {
                return new ArchiveCheckError(LogViewError.CheckpointMalformed, null, parseError.ToString());
            }

            if (view.Current is not { } current)
            {
                return new ArchiveCheckError(LogViewError.NoCheckpoint, null, "no checkpoint verified yet");
            }

            IReadOnlyList<byte[]> proof = [];
            if (peer.TreeSize != current.TreeSize)
            {
                var (from, to) = peer.TreeSize < current.TreeSize ? (peer.TreeSize, current.TreeSize) : (current.TreeSize, peer.TreeSize);
                var fetched = await _core.Api.GetConsistencyProofAsync(Review, from, to, cancellationToken).ConfigureAwait(false);
                proof = fetched.IsSuccess ? [.. fetched.Value!.Proof] : [];
            }

            var verdict = view.CompareWithPeer(peer, proof);
            Save();
            return verdict.TryGetValue(out var value, out var error) ? value : new ArchiveCheckError(error, null, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Verifies envelopes by inclusion: each with an archive index is rebuilt into its entry (kind Envelope, its
    /// stored time, its bytes or, in a log of summaries, the summary computed from them: <see cref="ArchivedEnvelope"/>)
    /// and checked as <see cref="VerifyItemsAsync"/> does. Returns a status per sequence.
    /// </summary>
    internal Task<ArchiveCheck> VerifyEnvelopesAsync(IReadOnlyList<StoredEnvelope> items, string channel, bool mayCosign, CancellationToken cancellationToken) =>
        VerifyItemsAsync(
            [.. items.Where(i => i.ArchiveIndex is not null).Select(i => new ArchivedItem(i.Sequence, i.ArchiveIndex!.Value, ArchiveEntryKind.Envelope, i.StoredAt, ArchivedEnvelope.Payload(i)))],
            $"{channel} sequence", mayCosign, cancellationToken);

    /// <summary>
    /// Verifies epoch records by inclusion, exactly as envelopes (docs/protocol.md 16.2.1: kind EpochRecord, its stored
    /// time, the record's bytes). Returns a status per epoch.
    /// </summary>
    internal Task<ArchiveCheck> VerifyEpochRecordsAsync(IReadOnlyList<EpochRecordEntry> records, string channel, bool mayCosign, CancellationToken cancellationToken) =>
        VerifyItemsAsync(
            [.. records.Where(r => r.ArchiveIndex is not null).Select(r => new ArchivedItem(r.Epoch, r.ArchiveIndex!.Value, ArchiveEntryKind.EpochRecord, r.StoredAt, r.Record ?? []))],
            $"{channel} epoch", mayCosign, cancellationToken);

    /// <summary>
    /// Verifies trust statements by inclusion (docs/protocol.md 16.2.1: kind MembershipChange, their stored time, the
    /// statement's bytes). Returns a status per position.
    /// </summary>
    internal Task<ArchiveCheck> VerifyTrustStatementsAsync(IReadOnlyList<TrustStatementEntry> statements, CancellationToken cancellationToken) =>
        VerifyItemsAsync(
            [.. statements.Where(s => s.ArchiveIndex is not null).Select(s => new ArchivedItem(s.Position, s.ArchiveIndex!.Value, ArchiveEntryKind.MembershipChange, s.StoredAt, s.Statement ?? []))],
            "trust statement", mayCosign: false, cancellationToken);

    /// <summary>
    /// Verifies disclosure policy statements by inclusion (docs/protocol.md 16.2.1: kind PolicyChange, their stored time,
    /// the statement's bytes). Returns a status per version.
    /// </summary>
    internal Task<ArchiveCheck> VerifyPolicyStatementsAsync(IReadOnlyList<PolicyStatementEntry> statements, CancellationToken cancellationToken) =>
        VerifyItemsAsync(
            [.. statements.Where(s => s.ArchiveIndex is not null).Select(s => new ArchivedItem(s.Version, s.ArchiveIndex!.Value, ArchiveEntryKind.PolicyChange, s.StoredAt, s.Statement ?? []))],
            "policy statement", mayCosign: false, cancellationToken);

    /// <summary>
    /// Verifies amendment statements by inclusion (docs/protocol.md 16.2.1, 21.3: kind Correction or Retraction, their
    /// stored time, target = the amended envelope's index, the statement's bytes). Returns a status per archive index.
    /// </summary>
    internal Task<ArchiveCheck> VerifyAmendmentsAsync(IReadOnlyList<AmendmentEntry> amendments, bool mayCosign, CancellationToken cancellationToken) =>
        VerifyItemsAsync(
            [.. amendments.Select(a => new ArchivedItem(
                a.ArchiveIndex, a.ArchiveIndex, a.Action == "correct" ? ArchiveEntryKind.Correction : ArchiveEntryKind.Retraction, a.StoredAt, a.Statement ?? [], a.TargetArchiveIndex))],
            "amendment", mayCosign, cancellationToken);

    /// <summary>
    /// Verifies items by inclusion: each is rebuilt into its entry (review, index, kind, stored time, inline bytes) and
    /// checked against a checkpoint this client verified, advancing the checkpoint by consistency first when the items
    /// are beyond it. Returns a status per item key, and the problem if any; a failed inclusion halts the view.
    /// </summary>
    private async Task<ArchiveCheck> VerifyItemsAsync(IReadOnlyList<ArchivedItem> archived, string what, bool mayCosign, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<long, ArchiveStatus>();
        if (archived.Count == 0)
        {
            return new ArchiveCheck(statuses, null);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The profile's view first: a process that has not loaded it yet would otherwise ask for the smallest
            // checkpoint covering the items, older than the one it stored, and refuse it as a rollback.
            Load();
            if (_view is { IsHalted: false })
            {
                foreach (var known in archived.Where(IsVerifiedLeaf))
                {
                    statuses[known.Key] = ArchiveStatus.Verified;
                }

                archived = [.. archived.Where(i => !statuses.ContainsKey(i.Key))];
                if (archived.Count == 0)
                {
                    return new ArchiveCheck(statuses, null);
                }
            }

            var needed = archived.Max(i => i.Index) + 1;
            ArchiveCheckError? problem = null;
            if (_view?.Current is not { } current || current.TreeSize < needed || _view.IsHalted)
            {
                // The log's latest checkpoint (it covers every item the log served so far): catching up, one refresh then
                // covers the following pages too, instead of one checkpoint and consistency proof per page.
                var refreshed = await RefreshCoreAsync(null, mayCosign, cancellationToken).ConfigureAwait(false);
                problem = refreshed.IsSuccess ? null : refreshed.Error;
            }

            var view = _view;
            if (view?.Current is not { } head || head.TreeSize < needed)
            {
                var failed = view?.IsHalted == true;
                foreach (var item in archived)
                {
                    statuses[item.Key] = failed ? ArchiveStatus.Failed : ArchiveStatus.Unverified;
                }

                return new ArchiveCheck(statuses, problem ?? new ArchiveCheckError(LogViewError.UnknownTreeSize, null, "no checkpoint covers the items yet"));
            }

            // Runs of adjacent indexes (a page of one busy channel) are checked with one range proof each. The rest, and any
            // run whose range proof is missing or does not recompute the root, are checked item by item by inclusion: a
            // rewritten entry then halts with the entry and its proof as evidence, and a bad range proof over entries that
            // all verify halts afterwards with that proof (root mismatch).
            var (runs, singles) = SplitRuns(archived);
            var fetchedRanges = await FetchRangeProofsAsync(runs, head.TreeSize, cancellationToken).ConfigureAwait(false);
            var refuted = new List<(ArchivedItem[] Run, byte[][] Entries, ArchiveRangeProof Proof)>();
            for (var r = 0; r < runs.Count; r++)
            {
                if (!CheckRun(view, head, runs[r], fetchedRanges[r], what, statuses, ref problem, out var entries))
                {
                    singles.AddRange(runs[r]);
                    if (fetchedRanges[r].IsSuccess && entries is not null)
                    {
                        refuted.Add((runs[r], entries, fetchedRanges[r].Value!));
                    }
                }
            }

            var chunks = singles.Chunk(HttpRoutes.MaxArchiveProofsPerRequest).ToList();
            var fetchedProofs = await FetchInclusionProofsAsync(chunks, head.TreeSize, cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                var proofs = fetchedProofs[c];
                foreach (var item in chunk)
                {
                    var proof = proofs.IsSuccess ? proofs.Value!.Proofs.FirstOrDefault(p => p.Index == item.Index) : null;
                    if (proof is null)
                    {
                        statuses[item.Key] = ArchiveStatus.Unverified;
                        problem ??= new ArchiveCheckError(LogViewError.None, proofs.IsSuccess ? null : proofs.Error, "the log served no inclusion proof");
                        continue;
                    }

                    var entry = EncodeEntry(item);
                    var verified = view.VerifyEntry(entry, head.TreeSize, [.. proof.Proof]);
                    statuses[item.Key] = verified.IsSuccess ? ArchiveStatus.Verified : verified.Error == LogViewError.InclusionFailed || view.IsHalted ? ArchiveStatus.Failed : ArchiveStatus.Unverified;
                    if (verified.IsSuccess)
                    {
                        _verifiedLeaves[item.Index] = Vault.Merkle.MerkleHash.Leaf(entry);
                    }
                    else
                    {
                        problem ??= new ArchiveCheckError(verified.Error, null, $"{what} {item.Key} at archive index {item.Index}");
                    }
                }
            }

            foreach (var (run, entries, proof) in refuted.Where(b => !view.IsHalted && b.Run.All(i => statuses[i.Key] == ArchiveStatus.Verified)))
            {
                var halted = view.VerifyRange([.. entries.Select(e => (ReadOnlyMemory<byte>)e)], head.TreeSize, [.. proof.Proof]);
                foreach (var item in run)
                {
                    statuses[item.Key] = ArchiveStatus.Failed;
                }

                problem = new ArchiveCheckError(halted.IsSuccess ? LogViewError.InclusionFailed : halted.Error, null, $"the range proof of archive indexes {run[0].Index} to {run[^1].Index}");
            }

            // Only a halt changes the view here (a refresh saved itself): no write, and no fsync, per page otherwise.
            if (view.IsHalted)
            {
                Save();
            }

            return new ArchiveCheck(statuses, problem);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The archive part of a publication record (docs/protocol.md 18.4): advances the verified view to a checkpoint that
    /// covers <paramref name="entry"/>, fetches and checks its inclusion proof, cosigns that checkpoint with this device
    /// (and submits the cosignature, so that the log archives it), and returns the proof, the cosigned checkpoint and this
    /// device's card as its cosigner. Only a checkpoint this client verified by consistency is ever used.
    /// </summary>
    public async Task<Result<PublicationArchiveProof, ArchiveCheckError>> ProveForPublicationAsync(ArchiveEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Load();
            if (_view?.Current is not { } current || current.TreeSize <= entry.Index)
            {
                var refreshed = await RefreshCoreAsync(entry.Index + 1, mayCosign: false, cancellationToken).ConfigureAwait(false);
                if (!refreshed.IsSuccess)
                {
                    return refreshed.Error;
                }
            }

            var view = _view!;
            var head = view.Current!;
            var proofs = await _core.Api.GetInclusionProofsAsync(Review, head.TreeSize, [entry.Index], cancellationToken).ConfigureAwait(false);
            if (!proofs.TryGetValue(out var served, out var apiError))
            {
                return new ArchiveCheckError(LogViewError.None, apiError, "no inclusion proof");
            }

            var proof = served.Proofs.FirstOrDefault(p => p.Index == entry.Index)?.Proof.ToList() ?? [];
            var verified = view.VerifyEntry(entry.Encode(), head.TreeSize, proof);
            Save();
            if (!verified.IsSuccess)
            {
                return new ArchiveCheckError(verified.Error, null, $"archive index {entry.Index}");
            }

            if (!view.Cosign(_core.Device).TryGetValue(out var cosigned, out var cosignError))
            {
                return new ArchiveCheckError(cosignError, null, "cannot cosign the checkpoint");
            }

            var sent = await _core.Api.PostCosignatureAsync(Review, cosigned.Text, cancellationToken).ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                Log.CosignFailed(_logger, Review, sent.Error.Type);
            }

            return new PublicationArchiveProof(proof, cosigned, [_core.Device.PublicKeys]);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Sorted by index, items whose indexes follow each other form runs (at most MaxArchiveRangeProofLeaves each); runs of
    // one item are checked by inclusion (a repeated index starts a new run).
    private static (List<ArchivedItem[]> Runs, List<ArchivedItem> Singles) SplitRuns(IReadOnlyList<ArchivedItem> items)
    {
        var runs = new List<ArchivedItem[]>();
        var singles = new List<ArchivedItem>();
        var run = new List<ArchivedItem>();
        foreach (var item in items.OrderBy(i => i.Index))
        {
            if (run.Count > 0 && (item.Index != run[^1].Index + 1 || run.Count == HttpRoutes.MaxArchiveRangeProofLeaves))
            {
                Flush();
            }

            run.Add(item);
        }

        Flush();
        return (runs, singles);

        void Flush()
        {
            if (run.Count == 1)
            {
                singles.Add(run[0]);
            }
            else if (run.Count > 1)
            {
                runs.Add([.. run]);
            }

            run.Clear();
        }
    }

    // Checks one run against its range proof: true when the proof was served and recomputes the checkpoint's root (all
    // Verified, unless the view refused them for another reason); false to check the run by inclusion instead, with the
    // entries when the log served a proof that does not recompute.
    private bool CheckRun(LogView view, VerifiedCheckpoint head, ArchivedItem[] run, Result<ArchiveRangeProof, ApiError> served, string what,
        Dictionary<long, ArchiveStatus> statuses, ref ArchiveCheckError? problem, out byte[][]? entries)
    {
        entries = null;
        if (!served.TryGetValue(out var range, out _) || range.Start != run[0].Index || range.End != run[^1].Index + 1 || range.TreeSize != head.TreeSize)
        {
            return false;
        }

        entries = [.. run.Select(EncodeEntry)];
        var verified = view.VerifyRange([.. entries.Select(e => (ReadOnlyMemory<byte>)e)], head.TreeSize, [.. range.Proof], haltOnMismatch: false);
        if (!verified.IsSuccess && verified.Error == LogViewError.InclusionFailed && !view.IsHalted)
        {
            return false;
        }

        var status = verified.IsSuccess ? ArchiveStatus.Verified : verified.Error == LogViewError.InclusionFailed || view.IsHalted ? ArchiveStatus.Failed : ArchiveStatus.Unverified;
        for (var i = 0; i < run.Length; i++)
        {
            statuses[run[i].Key] = status;
            if (verified.IsSuccess)
            {
                _verifiedLeaves[run[i].Index] = Vault.Merkle.MerkleHash.Leaf(entries[i]);
            }
        }

        if (!verified.IsSuccess)
        {
            problem ??= new ArchiveCheckError(verified.Error, null, $"{what} {run[0].Key} to {run[^1].Key} at archive indexes {run[0].Index} to {run[^1].Index}");
        }

        return true;
    }

    // The entry an item is archived as (docs/protocol.md 16.2.1).
    private byte[] EncodeEntry(ArchivedItem item) => ArchiveEntry.Create(Review, item.Index, item.Kind, item.StoredAt, item.Payload, item.Target).Encode();

    private Task<Result<ArchiveRangeProof, ApiError>[]> FetchRangeProofsAsync(List<ArchivedItem[]> runs, long treeSize, CancellationToken cancellationToken) =>
        FetchProofsAsync(runs, run => _core.Api.GetRangeProofAsync(Review, treeSize, run[0].Index, run[^1].Index + 1, cancellationToken), cancellationToken);

    // A page's proof requests (up to 5 for 500 items) run up to MaxConcurrentProofRequests at a time instead of one
    // after another; the caller checks the answers in order once all are back, exactly as it did one by one.
    private Task<Result<ArchiveInclusionProofs, ApiError>[]> FetchInclusionProofsAsync(List<ArchivedItem[]> chunks, long treeSize, CancellationToken cancellationToken) =>
        FetchProofsAsync(chunks, chunk => _core.Api.GetInclusionProofsAsync(Review, treeSize, [.. chunk.Select(i => i.Index)], cancellationToken), cancellationToken);

    // One proof request per group, up to MaxConcurrentProofRequests at a time; the answers in the groups' order.
    private static async Task<T[]> FetchProofsAsync<T>(List<ArchivedItem[]> groups, Func<ArchivedItem[], Task<T>> fetch, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrentProofRequests);
        return await Task.WhenAll(groups.Select(async group =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await fetch(group).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
    }

    private async Task<Result<CheckpointUpdate, ArchiveCheckError>> RefreshCoreAsync(long? atLeast, bool mayCosign, CancellationToken cancellationToken)
    {
        if (await ReadyAsync(cancellationToken).ConfigureAwait(false) is { } notReady)
        {
            return notReady;
        }

        var view = _view!;
        if (view.IsHalted)
        {
            return new ArchiveCheckError(LogViewError.Halted, null, view.Evidence!.Kind.ToString());
        }

        var fetched = await _core.Api.GetArchiveCheckpointAsync(Review, atLeast, cancellationToken).ConfigureAwait(false);
        if (!fetched.TryGetValue(out var served, out var apiError))
        {
            return new ArchiveCheckError(LogViewError.None, apiError, "no checkpoint");
        }

        if (!SignedCheckpoint.Parse(served.Checkpoint).TryGetValue(out var checkpoint, out var parseError))
        {
            return new ArchiveCheckError(LogViewError.CheckpointMalformed, null, parseError.ToString());
        }

        IReadOnlyList<byte[]> proof = [];
        if (view.Current is { } current && checkpoint.TreeSize > current.TreeSize)
        {
            var consistency = await _core.Api.GetConsistencyProofAsync(Review, current.TreeSize, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false);
            if (!consistency.TryGetValue(out var served2, out var proofError))
            {
                return new ArchiveCheckError(LogViewError.None, proofError, "no consistency proof");
            }

            proof = [.. served2.Proof];
        }

        var update = view.Update(checkpoint, proof);
        Save();
        if (!update.TryGetValue(out var outcome, out var error))
        {
            Log.Refused(_logger, Review, error);
            return new ArchiveCheckError(error, null, checkpoint.ToString());
        }

        if (mayCosign && _core.Options.CosignCheckpoints && outcome is CheckpointUpdate.First or CheckpointUpdate.Advanced &&
            view.Cosign(_core.Device).TryGetValue(out var cosigned, out _))
        {
            var sent = await _core.Api.PostCosignatureAsync(Review, cosigned.Text, cancellationToken).ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                Log.CosignFailed(_logger, Review, sent.Error.Type);
            }
        }

        return outcome;
    }

    // Loads the profile's state and pins the log keys on first use; null when ready.
    private async Task<ArchiveCheckError?> ReadyAsync(CancellationToken cancellationToken)
    {
        Load();
        if (_view is not null)
        {
            return null;
        }

        var keys = await _core.Api.GetArchiveKeysAsync(cancellationToken).ConfigureAwait(false);
        if (!keys.TryGetValue(out var served, out var error))
        {
            return new ArchiveCheckError(LogViewError.None, error, "no log keys");
        }

        var parsed = new List<ArchiveLogKey>();
        foreach (var key in served.Keys)
        {
            if (ArchiveLogKey.FromVerifierKey(key.VerifierKey, key.FirstTreeSize, key.LastTreeSize).TryGetValue(out var logKey, out _))
            {
                parsed.Add(logKey);
            }
        }

        if (parsed.Count == 0)
        {
            return new ArchiveCheckError(LogViewError.NotSigned, null, "the server lists no valid log key");
        }

        _keys = parsed;
        _view = new LogView(Review, new ArchiveKeyRing(parsed), _core.Time, ViewOptions);
        Save();
        return null;
    }

    private bool IsVerifiedLeaf(ArchivedItem item) =>
        _verifiedLeaves.TryGetValue(item.Index, out var leaf) && leaf.AsSpan().SequenceEqual(Vault.Merkle.MerkleHash.Leaf(EncodeEntry(item)));

    private LogViewOptions ViewOptions => new() { MaxAge = _core.Options.ArchiveMaxAge };

    private void Load()
    {
        if (_view is not null)
        {
            return;
        }

        var bytes = AtomicStateFile.Read(StatePath, MaxStateSize);
        if (bytes is null)
        {
            return;
        }

        try
        {
            var root = JsonNode.Parse(bytes)!.AsObject();
            if ((int?)root["version"] != StateVersion)
            {
                return;
            }

            var keys = root["keys"]!.AsArray().Select(k => ArchiveLogKey.FromVerifierKey(
                (string)k!["verifier_key"]!, (long)k["first"]!, (long?)k["last"]).Value!).ToList();
            var state = JsonSerializer.SerializeToUtf8Bytes(root["view"]);
            if (LogView.Restore(state, Review, new ArchiveKeyRing(keys), _core.Time, ViewOptions).TryGetValue(out var view, out var error))
            {
                _keys = keys;
                _view = view;
            }
            else
            {
                Log.StateRefused(_logger, Review, error);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            Log.StateRefused(_logger, Review, LogViewError.CheckpointMalformed);
        }
    }

    private void Save()
    {
        if (_view is null || _keys is null)
        {
            return;
        }

        var keys = new JsonArray([.. _keys.Select(k => (JsonNode)new JsonObject
        {
            ["verifier_key"] = k.VerifierKey,
            ["first"] = k.FirstTreeSize,
            ["last"] = k.LastTreeSize,
        })]);
        var root = new JsonObject
        {
            ["version"] = StateVersion,
            ["keys"] = keys,
            ["view"] = JsonNode.Parse(_view.ExportState()),
        };
        AtomicStateFile.Write(StatePath, JsonSerializer.SerializeToUtf8Bytes(root));
        if (_view.Evidence is { } evidence && !File.Exists(EvidencePath))
        {
            AtomicStateFile.Write(EvidencePath, evidence.ToJson());
            Log.Halted(_logger, Review, evidence.Kind, EvidencePath);
        }
    }

    private ArchiveState Snapshot()
    {
        var current = _view?.Current;
        var evidence = _view?.Evidence;
        return new ArchiveState(
            Review, current?.TreeSize, current is null ? null : Convert.ToHexStringLower(current.RootHash), current?.Time, current?.Note.Text,
            _view?.IsStale ?? true, evidence, evidence is null ? null : EvidencePath, [.. (_keys ?? []).Select(k => k.VerifierKey)]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Archive checkpoint of review {Review} refused: {Error}")]
        public static partial void Refused(ILogger logger, Guid review, LogViewError error);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Archive log of review {Review} contradicted itself ({Kind}); evidence kept in {Path}")]
        public static partial void Halted(ILogger logger, Guid review, ArchiveEvidenceKind kind, string path);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Saved archive state of review {Review} refused ({Error}); starting over")]
        public static partial void StateRefused(ILogger logger, Guid review, LogViewError error);

        [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Cosignature for review {Review} not accepted ({ProblemType})")]
        public static partial void CosignFailed(ILogger logger, Guid review, string problemType);
    }
}

/// <summary>Why the archive could not confirm something: a <see cref="LogViewError"/>, or the server's error.</summary>
/// <param name="Error">The view's verdict (<see cref="LogViewError.None"/> when the server did not answer).</param>
/// <param name="Api">The server's error, if any.</param>
/// <param name="Detail">A short description for the user (no content).</param>
public readonly record struct ArchiveCheckError(LogViewError Error, ApiError? Api, string? Detail)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Api is { } api ? api.Type : Error.ToString())}{(Detail is null ? string.Empty : ": " + Detail)}");
}

/// <summary>The archive statuses of a page of items (by sequence or epoch), and the first problem met.</summary>
internal sealed record ArchiveCheck(Dictionary<long, ArchiveStatus> Statuses, ArchiveCheckError? Problem);

/// <summary>An item served with its archive index, keyed by its sequence (envelopes) or epoch (records).</summary>
internal sealed record ArchivedItem(long Key, long Index, ArchiveEntryKind Kind, DateTimeOffset StoredAt, byte[] Payload, long? Target = null);

/// <summary>The archive part of a publication record: the entry's inclusion proof, the checkpoint (cosigned by this device) it reaches, and the cosigners' cards.</summary>
/// <param name="Proof">RFC 9162 audit path, leaf side first.</param>
/// <param name="Checkpoint">The log's signed checkpoint with this device's cosignature line.</param>
/// <param name="Cosigners">The device card of each cosigner with a line on <paramref name="Checkpoint"/>, in order.</param>
public sealed record PublicationArchiveProof(IReadOnlyList<byte[]> Proof, SignedCheckpoint Checkpoint, IReadOnlyList<Vault.Keys.DevicePublicKeys> Cosigners);
