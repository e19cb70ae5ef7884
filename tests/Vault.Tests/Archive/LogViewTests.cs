using System.Text;
using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Archive;

/// <summary>
/// A client's view of the archive log against a scriptable malicious log: rollback and freeze (security bar
/// 15), split views between clients (bar 14), proofs against unsigned or foreign roots and entries that do not
/// recompute to the signed root (bar 16), and replays (bar 4).
/// </summary>
public sealed class LogViewTests : IDisposable
{
    private readonly CheckpointSigner _signer = ArchiveServerDouble.FixedSigner();
    private readonly FakeTimeProvider _time = ArchiveServerDouble.NewTime();
    private readonly ArchiveServerDouble _server;

    public LogViewTests()
    {
        _server = new ArchiveServerDouble(_signer, _time);
        _server.AppendMessages(10);
    }

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void HonestLog_FirstAdvanceAndEveryEntryVerifies()
    {
        var view = NewView();

        Assert.Equal(CheckpointUpdate.First, view.Update(_server.Checkpoint(), []).Value);
        _server.AppendMessages(7);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(CheckpointUpdate.Advanced, view.Update(_server.Checkpoint(), _server.Consistency(10, 17)).Value);

        for (var i = 0; i < 17; i++)
        {
            var entry = view.VerifyEntry(_server.Entries[i], 17, _server.Inclusion(i, 17));
            Assert.True(entry.IsSuccess, $"entry {i}: {entry}");
            Assert.Equal(i, entry.Value.Index);
        }

        // Entries of the earlier, still remembered tree verify against it too.
        Assert.True(view.VerifyEntry(_server.Entries[3], 10, _server.Inclusion(3, 10)).IsSuccess);
        Assert.Equal(17, view.VerifyEntries(_server.Entries.Select(e => (ReadOnlyMemory<byte>)e), 17).Value);
        Assert.False(view.IsHalted);
        Assert.False(view.IsStale);
    }

    [Fact]
    public void EmptyLog_FirstCheckpointOfSizeZero_AcceptedAndNothingIsIncluded()
    {
        var empty = new ArchiveServerDouble(_signer, _time);
        var view = NewView();

        Assert.Equal(CheckpointUpdate.First, view.Update(empty.Checkpoint(), []).Value);
        Assert.Equal(LogViewError.Inconsistent, NewView().Update(_server.Checkpoint(), [new byte[32]]).Error);
        Assert.Equal(LogViewError.InclusionFailed, view.VerifyEntry(_server.Entries[0], 0, []).Error);
    }

    [Fact]
    public void Rollback_SmallerCheckpointWithOlderTime_RefusedAndNothingChanges()
    {
        var view = NewView();
        var old = _server.Checkpoint(4);
        _time.Advance(TimeSpan.FromMinutes(5));
        var current = _server.Checkpoint();
        Assert.Equal(CheckpointUpdate.First, view.Update(current, []).Value);

        var result = view.Update(old, []);

        Assert.Equal(LogViewError.Rollback, result.Error);
        Assert.Same(current, view.Current!.Note);
        Assert.False(view.IsHalted);
    }

    [Fact]
    public void Replay_SameCheckpointAgain_UnchangedNoSecondEffect()
    {
        var view = NewView();
        var checkpoint = _server.Checkpoint();
        view.Update(checkpoint, []);
        var state = view.ExportState();

        Assert.Equal(CheckpointUpdate.Unchanged, view.Update(checkpoint, []).Value);
        Assert.Equal(CheckpointUpdate.Unchanged, view.Update(checkpoint.Encode(), []).Value);
        Assert.Equal(state, view.ExportState());

        // An earlier signature of the same tree is a replay too.
        var earlier = checkpoint;
        _time.Advance(TimeSpan.FromMinutes(1));
        var later = _server.Checkpoint();
        Assert.Equal(CheckpointUpdate.Refreshed, view.Update(later, []).Value);
        Assert.Equal(CheckpointUpdate.Unchanged, view.Update(earlier, []).Value);
        Assert.Same(later, view.Current!.Note);
    }

    [Fact]
    public void Freeze_NoNewSignedTimeForMaxAge_FlaggedStaleUntilTheLogReSigns()
    {
        var view = NewView(new LogViewOptions { MaxAge = TimeSpan.FromHours(1) });
        var frozen = _server.Checkpoint();
        view.Update(frozen, []);
        Assert.False(view.IsStale);

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.True(view.IsStale);
        Assert.Equal(TimeSpan.FromMinutes(61), view.Age);

        // The frozen log keeps serving its old checkpoint: no effect, still stale.
        Assert.Equal(CheckpointUpdate.Unchanged, view.Update(frozen, []).Value);
        Assert.True(view.IsStale);

        // An honest log re-signs its current tree with a fresh time.
        Assert.Equal(CheckpointUpdate.Refreshed, view.Update(_server.Checkpoint(), []).Value);
        Assert.False(view.IsStale);
        Assert.True(NewView().IsStale);
    }

    [Fact]
    public void FutureTimestamp_BeyondSkew_Refused()
    {
        var view = NewView();
        var future = _signer.Sign(ArchiveServerDouble.Origin, 10, _server.Root(10), _time.GetUtcNow().AddMinutes(11));

        Assert.Equal(LogViewError.FutureTimestamp, view.Update(future, []).Error);
        Assert.Null(view.Current);
    }

    [Fact]
    public void SignedRollback_SmallerTreeWithLaterTime_HaltsWithBothCheckpoints()
    {
        var view = NewView();
        var current = _server.Checkpoint();
        view.Update(current, []);
        _time.Advance(TimeSpan.FromMinutes(1));

        // The log claims, later, that its largest tree is smaller: it hides entries from this client.
        var frozenView = _server.Checkpoint(6);
        var result = view.Update(frozenView, []);

        Assert.Equal(LogViewError.Rollback, result.Error);
        Assert.True(view.IsHalted);
        var evidence = view.Evidence!;
        Assert.Equal(ArchiveEvidenceKind.SignedRollback, evidence.Kind);
        Assert.Equal(current.Text, evidence.First.Text);
        Assert.Equal(frozenView.Text, evidence.Second!.Text);
        Assert.True(evidence.Recheck(_server.Keys()));
    }

    [Fact]
    public void LargerTreeWithEarlierTime_HaltsAsSignedRollback()
    {
        var view = NewView();
        var early = _server.Checkpoint(12 - 2);
        _server.AppendMessages(2);
        var largerButEarlier = _signer.Sign(ArchiveServerDouble.Origin, 12, _server.Root(12), _time.GetUtcNow().AddMinutes(-1));
        view.Update(early, []);

        Assert.Equal(LogViewError.Inconsistent, view.Update(largerButEarlier, _server.Consistency(10, 12)).Error);
        Assert.Equal(ArchiveEvidenceKind.SignedRollback, view.Evidence!.Kind);
        Assert.True(view.Evidence.Recheck(_server.Keys()));
    }

    [Fact]
    public void Fork_SameSizeOtherRoot_HaltsKeepsBothSignedCheckpointsAsSerialisableEvidence()
    {
        var view = NewView();
        var honest = _server.Checkpoint();
        view.Update(honest, []);
        var fork = _server.Fork(6);
        fork.AppendMessages(4, "rewritten");
        _time.Advance(TimeSpan.FromMinutes(1));
        var forged = fork.Checkpoint();

        var result = view.Update(forged, []);

        Assert.Equal(LogViewError.Inconsistent, result.Error);
        var evidence = view.Evidence!;
        Assert.Equal(ArchiveEvidenceKind.Fork, evidence.Kind);
        Assert.Equal(honest.Text, evidence.First.Text);
        Assert.Equal(forged.Text, evidence.Second!.Text);
        Assert.True(evidence.Recheck(_server.Keys()));

        var json = evidence.ToJson();
        var back = ArchiveEvidence.Parse(json).Value!;
        Assert.Equal(ArchiveEvidenceKind.Fork, back.Kind);
        Assert.Equal(honest.Text, back.First.Text);
        Assert.Equal(forged.Text, back.Second!.Text);
        Assert.True(back.Recheck(_server.Keys()));
        Assert.Contains("\"kind\": \"fork\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void ForkedLargerTree_ConsistencyProofFails_HaltsWithProofInEvidence()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var fork = _server.Fork(6);
        fork.AppendMessages(14, "rewritten");
        _time.Advance(TimeSpan.FromMinutes(1));

        // The best the log can do: the fork's own consistency proof from size 10.
        var result = view.Update(fork.Checkpoint(), fork.Consistency(10, 20));

        Assert.Equal(LogViewError.Inconsistent, result.Error);
        Assert.Equal(ArchiveEvidenceKind.InconsistentCheckpoints, view.Evidence!.Kind);
        Assert.NotEmpty(view.Evidence.Proof);
        Assert.True(view.Evidence.Recheck(_server.Keys()));
        Assert.Equal(10, view.Current!.TreeSize);
    }

    [Fact]
    public void SplitView_SameSize_TwoClientsCompareAndDetectItWithEvidence()
    {
        // The log shows client A the honest log and client B a fork of the same size, both correctly signed.
        var fork = _server.Fork(5);
        fork.AppendMessages(5, "for B only");
        var a = NewView();
        var b = NewView();
        Assert.True(a.Update(_server.Checkpoint(), []).IsSuccess);
        Assert.True(b.Update(fork.Checkpoint(), []).IsSuccess);

        var verdict = a.CompareWithPeer(b.Current!.Note, []);

        Assert.Equal(GossipVerdict.SplitView, verdict.Value);
        Assert.True(a.IsHalted);
        Assert.Equal(ArchiveEvidenceKind.Fork, a.Evidence!.Kind);
        Assert.True(a.Evidence.FromPeer);
        Assert.Equal(a.Evidence.First.Text, _server.Checkpoint(10).Text);
        Assert.True(a.Evidence.Recheck(_server.Keys()));
        Assert.Equal(LogViewError.Halted, a.Update(_server.Checkpoint(), []).Error);
    }

    [Fact]
    public void SplitView_DifferentSizes_NoValidConsistencyProof_Detected()
    {
        var fork = _server.Fork(5);
        fork.AppendMessages(9, "for B only");
        var a = NewView();
        var b = NewView();
        a.Update(_server.Checkpoint(), []);
        b.Update(fork.Checkpoint(), []);

        // Whatever proof the log offers from 10 to 14 (its honest branch's or the fork's), it fails.
        Assert.Equal(GossipVerdict.SplitView, a.CompareWithPeer(b.Current!.Note, fork.Consistency(10, 14)).Value);
        Assert.Equal(ArchiveEvidenceKind.InconsistentCheckpoints, a.Evidence!.Kind);
        Assert.Equal(GossipVerdict.SplitView, b.CompareWithPeer(a.Current!.Note, []).Value);
        Assert.True(b.Evidence!.Recheck(_server.Keys()));
    }

    [Fact]
    public void Gossip_HonestPeersAtDifferentSizes_ConsistentBothWays()
    {
        var a = NewView();
        var b = NewView();
        a.Update(_server.Checkpoint(), []);
        _server.AppendMessages(5);
        _time.Advance(TimeSpan.FromMinutes(1));
        b.Update(_server.Checkpoint(), []);

        Assert.Equal(GossipVerdict.Consistent, a.CompareWithPeer(b.Current!.Note, _server.Consistency(10, 15)).Value);
        Assert.Equal(GossipVerdict.Consistent, b.CompareWithPeer(a.Current!.Note, _server.Consistency(10, 15)).Value);
        Assert.Equal(GossipVerdict.Consistent, a.CompareWithPeer(a.Current!.Note, []).Value);
        Assert.False(a.IsHalted || b.IsHalted);
    }

    [Fact]
    public void Gossip_PeerCheckpointUnsigned_RefusedWithoutHalting()
    {
        using var attacker = ArchiveServerDouble.FixedSigner(0x66);
        var a = NewView();
        a.Update(_server.Checkpoint(), []);
        var peer = attacker.Sign(ArchiveServerDouble.Origin, 10, new byte[32], _time.GetUtcNow());

        Assert.Equal(LogViewError.NotSigned, a.CompareWithPeer(peer, []).Error);
        Assert.False(a.IsHalted);
    }

    [Fact]
    public void UnsignedOrForeignRoot_CheckpointRefusedAndProofsAgainstItRefused()
    {
        using var attacker = ArchiveServerDouble.FixedSigner(0x66);
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var fork = _server.Fork(10);
        var forged = fork.Append(ArchiveEntryKind.Envelope, "planted by the server");

        // A root signed by a foreign key under the log's name, and another review's correctly signed root.
        var foreignRoot = attacker.Sign(ArchiveServerDouble.Origin, 11, fork.Root(11), _time.GetUtcNow());
        var otherReview = _signer.Sign(ArchiveOrigin.ForReview(Guid.NewGuid()), 11, fork.Root(11), _time.GetUtcNow());
        var unsigned = SignedCheckpoint.Parse(foreignRoot.Body + "\n").Error;

        Assert.Equal(LogViewError.NotSigned, view.Update(foreignRoot, fork.Consistency(10, 11)).Error);
        Assert.Equal(LogViewError.WrongOrigin, view.Update(otherReview, fork.Consistency(10, 11)).Error);
        Assert.Equal(CheckpointError.Malformed, unsigned);
        Assert.Equal(LogViewError.UnknownTreeSize, view.VerifyEntry(forged.Encode(), 11, fork.Inclusion(10, 11)).Error);
        Assert.False(view.IsHalted);
        Assert.Equal(10, view.Current!.TreeSize);
    }

    [Fact]
    public void EntryNotInTheSignedTree_HaltsWithCheckpointEntryAndProof()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var substituted = ArchiveEntry.Create(ArchiveServerDouble.Review, 3, ArchiveEntryKind.Envelope, _time.GetUtcNow(), "substituted"u8).Encode();

        var result = view.VerifyEntry(substituted, 10, _server.Inclusion(3, 10));

        Assert.Equal(LogViewError.InclusionFailed, result.Error);
        var evidence = view.Evidence!;
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, evidence.Kind);
        Assert.Equal(substituted, evidence.Entry!.Value.ToArray());
        Assert.True(evidence.Recheck(_server.Keys()));
        Assert.True(ArchiveEvidence.Parse(evidence.ToJson()).Value!.Recheck(_server.Keys()));
    }

    [Fact]
    public void RunOfEntriesWithRangeProof_VerifiesAndRefusesGapsOrOtherReviews()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var run = _server.Entries.Skip(2).Take(5).Select(e => (ReadOnlyMemory<byte>)e).ToList();

        var verified = view.VerifyRange(run, 10, RangeProof(2, 7, 10));

        Assert.Equal([2L, 3, 4, 5, 6], verified.Value!.Select(e => e.Index));
        Assert.Equal(LogViewError.WrongEntry, view.VerifyRange([run[0], run[2]], 10, RangeProof(2, 4, 10)).Error);
        var other = ArchiveEntry.Create(Guid.NewGuid(), 3, ArchiveEntryKind.Envelope, _time.GetUtcNow(), "x"u8).Encode();
        Assert.Equal(LogViewError.WrongEntry, view.VerifyRange([run[0], other], 10, RangeProof(2, 4, 10)).Error);
        Assert.Equal(LogViewError.UnknownTreeSize, view.VerifyRange(run, 9, RangeProof(2, 7, 9)).Error);
        Assert.Equal(LogViewError.EntryMalformed, view.VerifyRange([new byte[] { 1, 2 }], 10, []).Error);
        Assert.False(view.IsHalted);
    }

    [Fact]
    public void RangeProofThatDoesNotRecompute_HaltsWithRootMismatchAndTheProof()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var run = _server.Entries.Skip(2).Take(5).Select(e => (ReadOnlyMemory<byte>)e).ToList();
        run[3] = ArchiveEntry.Create(ArchiveServerDouble.Review, 5, ArchiveEntryKind.Envelope, _time.GetUtcNow(), "rewritten"u8).Encode();
        var proof = RangeProof(2, 7, 10);

        Assert.Equal(LogViewError.InclusionFailed, view.VerifyRange(run, 10, proof).Error);

        var evidence = view.Evidence!;
        Assert.Equal(ArchiveEvidenceKind.RootMismatch, evidence.Kind);
        Assert.Equal(10, evidence.TreeSize);
        Assert.Equal(proof.Select(Convert.ToHexStringLower), evidence.Proof.Select(Convert.ToHexStringLower));
        Assert.True(ArchiveEvidence.Parse(evidence.ToJson()).Value!.Recheck(_server.Keys()));
        Assert.Equal(LogViewError.Halted, view.VerifyRange(_server.Entries.Take(2).Select(e => (ReadOnlyMemory<byte>)e).ToList(), 10, RangeProof(0, 2, 10)).Error);
    }

    [Fact]
    public void RangeProofThatDoesNotRecompute_WithoutHaltOnMismatch_RefusedAndTheViewKeepsGoing()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var run = _server.Entries.Skip(2).Take(5).Select(e => (ReadOnlyMemory<byte>)e).ToList();
        var bad = RangeProof(2, 7, 10);
        bad[0] = new byte[32];

        Assert.Equal(LogViewError.InclusionFailed, view.VerifyRange(run, 10, bad, haltOnMismatch: false).Error);
        Assert.False(view.IsHalted);
        Assert.True(view.VerifyRange(run, 10, RangeProof(2, 7, 10), haltOnMismatch: false).IsSuccess);
        Assert.Equal(LogViewError.InclusionFailed, view.VerifyRange(run, 10, bad).Error);
        Assert.True(view.IsHalted);
    }

    [Fact]
    public void RangeProofOfWrongLength_Halts()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var run = _server.Entries.Skip(2).Take(5).Select(e => (ReadOnlyMemory<byte>)e).ToList();

        Assert.Equal(LogViewError.InclusionFailed, view.VerifyRange(run, 10, RangeProof(2, 7, 10)[1..]).Error);
        Assert.True(view.IsHalted);
    }

    [Fact]
    public void EntriesThatDoNotRecomputeToTheSignedRoot_HaltWithRootMismatch()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var entries = _server.Entries.Select(e => (ReadOnlyMemory<byte>)e).ToList();
        entries[7] = ArchiveEntry.Create(ArchiveServerDouble.Review, 7, ArchiveEntryKind.Envelope, _time.GetUtcNow(), "rewritten"u8).Encode();

        Assert.Equal(LogViewError.InclusionFailed, view.VerifyEntries(entries, 10).Error);
        Assert.Equal(ArchiveEvidenceKind.RootMismatch, view.Evidence!.Kind);
        Assert.True(view.Evidence.Recheck(_server.Keys()));
    }

    [Fact]
    public void EntriesOutOfOrderMissingOrExtra_WrongEntryWithoutHalting()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var entries = _server.Entries.Select(e => (ReadOnlyMemory<byte>)e).ToList();

        Assert.Equal(LogViewError.WrongEntry, view.VerifyEntries([entries[1], entries[0], .. entries[2..]], 10).Error);
        Assert.Equal(LogViewError.WrongEntry, view.VerifyEntries([.. entries, entries[0]], 10).Error);
        Assert.Equal(LogViewError.EntryMalformed, view.VerifyEntries([.. entries[..9], new byte[3]], 10).Error);
        Assert.Equal(LogViewError.UnknownTreeSize, view.VerifyEntries(entries[..9], 9).Error);
        Assert.False(view.IsHalted);
    }

    [Fact]
    public void EntryOfAnotherReview_WrongEntry()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var other = ArchiveEntry.Create(Guid.NewGuid(), 3, ArchiveEntryKind.Envelope, _time.GetUtcNow(), "elsewhere"u8).Encode();

        Assert.Equal(LogViewError.WrongEntry, view.VerifyEntry(other, 10, _server.Inclusion(3, 10)).Error);
        Assert.Equal(LogViewError.EntryMalformed, view.VerifyEntry([1, 2, 3], 10, []).Error);
        Assert.False(view.IsHalted);
    }

    [Fact]
    public void HaltedView_RefusesEverythingAfter()
    {
        using var focal = DeviceIdentity.Create();
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        var fork = _server.Fork(3);
        fork.AppendMessages(7, "x");
        view.Update(fork.Checkpoint(), []);
        Assert.True(view.IsHalted);

        Assert.Equal(LogViewError.Halted, view.Update(_server.Checkpoint(), []).Error);
        Assert.Equal(LogViewError.Halted, view.VerifyEntry(_server.Entries[0], 10, _server.Inclusion(0, 10)).Error);
        Assert.Equal(LogViewError.Halted, view.VerifyEntries([], 10).Error);
        Assert.Equal(LogViewError.Halted, view.CompareWithPeer(_server.Checkpoint(), []).Error);
        Assert.Equal(LogViewError.Halted, view.Cosign(focal).Error);
    }

    [Fact]
    public void State_ExportAndRestore_KeepsCheckpointTreeHeadsAndEvidence()
    {
        var view = NewView();
        view.Update(_server.Checkpoint(), []);
        _server.AppendMessages(3);
        _time.Advance(TimeSpan.FromMinutes(1));
        view.Update(_server.Checkpoint(), _server.Consistency(10, 13));

        var restored = LogView.Restore(view.ExportState(), ArchiveServerDouble.Review, _server.Keys(), _time).Value!;

        Assert.Equal(view.Current!.Note.Text, restored.Current!.Note.Text);
        Assert.True(restored.VerifyEntry(_server.Entries[2], 10, _server.Inclusion(2, 10)).IsSuccess);
        Assert.Equal(LogViewError.Rollback, restored.Update(_server.Checkpoint(10), []).Error);
        Assert.Equal(LogViewError.WrongOrigin, LogView.Restore(view.ExportState(), Guid.NewGuid(), _server.Keys(), _time).Error);
        using var other = ArchiveServerDouble.FixedSigner(0x77);
        Assert.Equal(LogViewError.NotSigned, LogView.Restore(view.ExportState(), ArchiveServerDouble.Review, new ArchiveKeyRing([other.LogKey()]), _time).Error);
        Assert.Equal(LogViewError.CheckpointMalformed, LogView.Restore("{}"u8, ArchiveServerDouble.Review, _server.Keys(), _time).Error);

        var fork = _server.Fork(2);
        fork.AppendMessages(11, "y");
        restored.Update(fork.Checkpoint(), []);
        var halted = LogView.Restore(restored.ExportState(), ArchiveServerDouble.Review, _server.Keys(), _time).Value!;
        Assert.True(halted.IsHalted);
        Assert.Equal(ArchiveEvidenceKind.Fork, halted.Evidence!.Kind);
    }

    [Fact]
    public void Cosignatures_FocalPointCosignsVerifiedCheckpointAndTheLogArchivesIt()
    {
        using var focal = DeviceIdentity.Create();
        var view = NewView();
        Assert.Equal(LogViewError.NoCheckpoint, view.Cosign(focal).Error);
        view.Update(_server.Checkpoint(), []);

        var cosigned = view.Cosign(focal).Value!;
        var entry = _server.Append(ArchiveEntryKind.Cosignature, cosigned.Encode());
        _time.Advance(TimeSpan.FromMinutes(1));
        view.Update(_server.Checkpoint(), _server.Consistency(10, 11));

        var archived = view.VerifyEntry(entry.Encode(), 11, _server.Inclusion(10, 11)).Value!;
        var note = SignedCheckpoint.Parse(archived.Payload.Span).Value!;
        var verified = note.Verify(_server.Keys(CosignerKey.ForDevice(focal.PublicKeys)), ArchiveServerDouble.Origin).Value!;
        Assert.Equal(10, verified.TreeSize);
        Assert.Equal(focal.Id, Assert.Single(verified.Cosignatures).Cosigner.Device);

        // A view that received the cosigned checkpoint itself and cosigns it again replaces the device's line.
        Assert.Equal(3, note.Signatures.Count);
        var second = NewView();
        Assert.Equal(CheckpointUpdate.First, second.Update(note, []).Value);
        var recosigned = second.Cosign(focal).Value!;
        Assert.Equal(3, recosigned.Signatures.Count);
        Assert.Single(recosigned.Signatures, s => s.KeyName == CosignerKey.NameFor(focal.Id));
    }

    [Fact]
    public void KeyRotation_ClientFollowsTheLogToANewKeyAndOldCheckpointsStillVerify()
    {
        using var next = ArchiveServerDouble.FixedSigner(0x40);
        var view = NewView();
        var beforeRotation = _server.Checkpoint();
        view.Update(beforeRotation, []);

        // The log announces the new key in the log itself, then signs the handover checkpoint with both keys.
        var announcement = _server.Append(ArchiveEntryKind.LogKeyChange, next.LogKey().VerifierKey);
        var handover = next.AddSignatures(_server.Checkpoint(), _time.GetUtcNow());
        Assert.Equal(CheckpointUpdate.Advanced, view.Update(handover, _server.Consistency(10, 11)).Value);
        var announced = view.VerifyEntry(announcement.Encode(), 11, _server.Inclusion(10, 11)).Value!;
        var newKey = ArchiveLogKey.FromVerifierKey(Encoding.UTF8.GetString(announced.Payload.Span)).Value!;

        var rotated = _server.Keys().Rotate(_server.Keys().LogKeys[0], newKey, 11);
        var followed = LogView.Restore(view.ExportState(), ArchiveServerDouble.Review, rotated, _time).Value!;
        _server.Signer = next;
        _server.AppendMessages(2);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(CheckpointUpdate.Advanced, followed.Update(_server.Checkpoint(), _server.Consistency(11, 13)).Value);
        Assert.True(beforeRotation.Verify(rotated, ArchiveServerDouble.Origin).IsSuccess);

        // The retired key can no longer sign a larger tree.
        _server.Signer = _signer;
        _server.AppendMessages(1);
        Assert.Equal(LogViewError.NotSigned, followed.Update(_server.Checkpoint(), _server.Consistency(13, 14)).Error);
    }

    private LogView NewView(LogViewOptions? options = null) => new(ArchiveServerDouble.Review, _server.Keys(), _time, options);

    private List<byte[]> RangeProof(long start, long end, long size) => _server.Log.GetRangeProofAsync(start, end, size).AsTask().GetAwaiter().GetResult();
}
