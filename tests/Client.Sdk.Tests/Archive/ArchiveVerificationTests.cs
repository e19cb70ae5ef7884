using SecureDialogue.Client.Archive;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Trust;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Client.Tests.Archive;

/// <summary>
/// Client verification of the archive log (docs/protocol.md 16.7) against the scriptable server: every item read is
/// verified by inclusion; security bar 14 (split view), 15 (rollback, freeze) and 16 (foreign root, entries that do not
/// recompute to the signed root) are detected, reading stops on a contradiction, and both signed checkpoints are kept.
/// </summary>
public sealed class ArchiveVerificationTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await DialogueFixture.StartAsync();
        _f.Server.Script.Archive = true;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Read_HonestLog_EveryItemVerifiedByInclusionCheckpointKeptAndCosigned()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await ana.SendAsync($"item {i}")).IsSuccess);
        }

        // Act
        var items = await Participant.ReadAllAsync(ben);
        await using var restarted = await _f.Ben.RestartAsync(_f.Server);
        var state = restarted.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: verified (the log holds epoch 0's record and the three items); the checkpoint survives a restart; Ben
        // (his State's focal point) cosigned it.
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.Equal(ArchiveStatus.Verified, i.Archive));
        Assert.Equal(0u, ben.CurrentEpoch);
        Assert.DoesNotContain(ben.Alerts, a => a.Kind is ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified or ChannelAlertKind.EpochRecordRefused);
        Assert.Equal(4, state.TreeSize);
        Assert.False(state.IsHalted);
        Assert.Equal(_f.Server.ArchiveSigner.LogKey().VerifierKey, Assert.Single(state.LogKeys));
        var cosigned = SignedCheckpoint.Parse(_f.Server.Script.Cosignatures.Last(c => c.Contains(_f.Ben.Device.Id.ToString(), StringComparison.Ordinal))).Value!;
        Assert.Equal(4, cosigned.TreeSize);
        Assert.Contains(cosigned.Signatures, s => s.KeyName == CosignerKey.NameFor(_f.Ben.Device.Id));
    }

    [Fact]
    public async Task Read_LogOfWholeEnvelopesOrOfSummaries_EachEntryRebuiltInItsFormAndVerified()
    {
        // Arrange: two items logged whole (a log created before the server recorded summaries, served with form 0), then
        // two logged by their summary (form 1).
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        _f.Server.Script.ArchiveWholeEnvelopes = true;
        Assert.True((await ana.SendAsync("whole 1")).IsSuccess);
        Assert.True((await ana.SendAsync("whole 2")).IsSuccess);
        _f.Server.Script.ArchiveWholeEnvelopes = false;
        Assert.True((await ana.SendAsync("summary 1")).IsSuccess);
        Assert.True((await ana.SendAsync("summary 2")).IsSuccess);

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert: every item verified by inclusion of the entry rebuilt in its own form.
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal(ArchiveStatus.Verified, i.Archive));
        Assert.DoesNotContain(ben.Alerts, a => a.Kind is ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified);
    }

    [Fact]
    public async Task Read_FormMisstated_SummaryLoggedButServedAsWhole_InclusionFailsAndHalts()
    {
        // Arrange: the log holds the item's summary; the server serves it with form 0 (whole envelope).
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("summary")).IsSuccess);
        _f.Server.Script.MisstateArchiveForm = true;

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert: the entry rebuilt from the stated form is not the logged one: never shown as verified, the view halts.
        Assert.DoesNotContain(items, i => i.Archive == ArchiveStatus.Verified);
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        var state = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();
        Assert.True(state.IsHalted);
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, state.Evidence!.Kind);
    }

    [Fact]
    public async Task SplitView_ForkedCheckpointAfterAVerifiedOne_ReadingStopsAndBothCheckpointsKept()
    {
        // Arrange: Ben verified the honest log of 2 items; then the server shows him a fork.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await ana.SendAsync("two");
        await Participant.ReadAllAsync(ben);
        var before = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();
        _f.Server.Script.ArchiveForkFor.Add(_f.Ben.Account.Id);
        await ana.SendAsync("three");

        // Act
        var items = await Participant.ReadAllAsync(ben, since: 2);
        var state = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: nothing past the contradiction is shown; the evidence holds the stored and the new checkpoint.
        Assert.Empty(items);
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        Assert.True(state.IsHalted);
        Assert.Equal(ArchiveEvidenceKind.InconsistentCheckpoints, state.Evidence!.Kind);
        Assert.Equal(before.Checkpoint, state.Evidence.First.Text);
        Assert.Equal(4, state.Evidence.Second!.TreeSize);
        Assert.True(File.Exists(state.EvidencePath));
        Assert.True(ArchiveEvidence.Parse(File.ReadAllBytes(state.EvidencePath!)).Value!.Recheck(new ArchiveKeyRing([_f.Server.ArchiveSigner.LogKey()])));

        // And it stays stopped: a later read shows nothing new either.
        Assert.Empty(await Participant.ReadAllAsync(ben, since: 2));
    }

    [Fact]
    public async Task SplitView_TwoClientsShownDifferentLogs_GossipDetectsIt()
    {
        // Arrange: Cai is shown a forked log from his first checkpoint on (trust on first use accepts it); Ben the real one.
        _f.Server.Script.ArchiveForkFor.Add(_f.Cai.Account.Id);
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        var cai = await _f.Cai.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await Participant.ReadAllAsync(ben);
        var caiItems = await Participant.ReadAllAsync(cai);
        var caiCheckpoint = _f.Cai.Client.GetArchive(_f.ReviewId).GetState().Checkpoint;

        // Act: Ben compares his checkpoint with Cai's.
        var verdict = await _f.Ben.Client.GetArchive(_f.ReviewId).CompareWithPeerAsync(caiCheckpoint!);
        var state = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: epoch 0's record did not verify against Cai's forked root (his view halted before he accepted it, reading
        // stopped); gossip finds the split view (Cai's forked tree of 1 entry is not a prefix of Ben's).
        Assert.Empty(caiItems);
        Assert.Null(cai.CurrentEpoch);
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, _f.Cai.Client.GetArchive(_f.ReviewId).GetState().Evidence!.Kind);
        Assert.Equal(GossipVerdict.SplitView, verdict.Value);
        Assert.Contains(state.Evidence!.Kind, new[] { ArchiveEvidenceKind.Fork, ArchiveEvidenceKind.InconsistentCheckpoints });
        Assert.NotEqual(state.Evidence.First.Text, state.Evidence.Second!.Text);
    }

    [Fact]
    public async Task Rollback_SmallerCheckpointServed_RefusedAndTheStoredOneKept()
    {
        // Arrange: Ben verified 3 items (a log of 4 entries with epoch 0's record).
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 3; i++)
        {
            await ana.SendAsync($"item {i}");
        }

        await Participant.ReadAllAsync(ben);
        _f.Server.Script.ArchiveRollbackTo = 1;
        await ana.SendAsync("four");

        // Act
        var items = await Participant.ReadAllAsync(ben, since: 3);
        var state = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the new item is not shown as verified; the stored checkpoint of 3 stays (a signed smaller tree with a
        // later time halts with evidence; one signed in the same second is refused).
        Assert.DoesNotContain(items, i => i.Archive == ArchiveStatus.Verified);
        Assert.Contains(ben.Alerts, a => a.Kind is ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified);
        Assert.True(state.TreeSize == 4 || state.Evidence?.Kind == ArchiveEvidenceKind.SignedRollback, $"{state.TreeSize} {state.Evidence?.Kind}");
        Assert.True(state.TreeSize >= 4);
    }

    [Fact]
    public async Task Freeze_OldCheckpointServedForEver_NewItemsNeverVerify()
    {
        // Arrange: the log signs one checkpoint (of epoch 0's record, when Ana's client checks it) and then keeps serving it.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await Participant.ReadAllAsync(ben);
        _f.Server.Script.FreezeArchive = true;
        await ana.SendAsync("two");

        // Act
        var items = await Participant.ReadAllAsync(ben, since: 1);

        // Assert: the new item is shown as unverified, with an alert; the view did not move.
        Assert.Equal(ArchiveStatus.Unverified, Assert.Single(items).Archive);
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.ArchiveUnverified);
        Assert.Equal(2, _f.Ben.Client.GetArchive(_f.ReviewId).GetState().TreeSize);
    }

    [Fact]
    public async Task ForeignRoot_CheckpointSignedByAnotherKey_RefusedNothingVerified()
    {
        // Arrange
        _f.Server.Script.ForeignArchiveKey = true;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.Equal(ArchiveStatus.Unverified, Assert.Single(items).Archive);
        var alerts = ben.Alerts.Where(a => a.Kind == ChannelAlertKind.ArchiveUnverified).ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Equal(LogViewError.NotSigned, a.Archive!.Value.Error));
        Assert.Null(_f.Ben.Client.GetArchive(_f.ReviewId).GetState().TreeSize);
    }

    [Fact]
    public async Task Entries_NotRecomputingToTheSignedRoot_InclusionFailsHaltsWithEvidence()
    {
        // Arrange: the server serves the second item with the bytes of the first (a rewritten log whose entries no
        // longer recompute to the root it signed).
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await ana.SendAsync("two");
        await ana.SendAsync("three");
        var stored = _f.Server.Items(_f.ReviewId, "dialogue");
        stored[1].Bytes = stored[0].Bytes;
        var session = await _f.Cai.OpenAsync(_f.ReviewId);

        // Act
        var items = await Participant.ReadAllAsync(session);
        var state = _f.Cai.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the page that held the rewritten item is not shown at all.
        Assert.Empty(items);
        Assert.Contains(session.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, state.Evidence!.Kind);
        Assert.NotNull(state.Evidence.Entry);
        _ = ben;
    }

    [Fact]
    public async Task Read_AdjacentItems_VerifiedWithOneRangeProofPerRun()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await ana.SendAsync($"item {i}")).IsSuccess);
        }

        _f.Server.Script.ArchiveRangeProofsServed = 0;
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert: the five items (archive indexes 1 to 5) are one run: one range proof, all verified.
        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.Equal(ArchiveStatus.Verified, i.Archive));
        Assert.Equal(1, _f.Server.Script.ArchiveRangeProofsServed);
        Assert.DoesNotContain(ben.Alerts, a => a.Kind is ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified);
    }

    [Fact]
    public async Task Read_ServerWithoutRangeProofs_ItemsVerifiedByInclusion()
    {
        // Arrange
        _f.Server.Script.ArchiveNoRangeProofs = true;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await ana.SendAsync($"item {i}")).IsSuccess);
        }

        var ben = await _f.Ben.OpenAsync(_f.ReviewId);

        // Act
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.Equal(ArchiveStatus.Verified, i.Archive));
        Assert.False(_f.Ben.Client.GetArchive(_f.ReviewId).GetState().IsHalted);
    }

    [Fact]
    public async Task RangeProof_NotRecomputingTheSignedRoot_HaltsWithTheProofAsEvidence()
    {
        // Arrange: honest entries, but every range proof the log serves has an altered hash.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await ana.SendAsync($"item {i}")).IsSuccess);
        }

        _f.Server.Script.ArchiveBadRangeProofs = true;
        var cai = await _f.Cai.OpenAsync(_f.ReviewId);

        // Act
        var items = await Participant.ReadAllAsync(cai);
        var state = _f.Cai.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the page is not shown; the view halted with the checkpoint and the refuted proof.
        Assert.Empty(items);
        Assert.Contains(cai.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        Assert.True(state.IsHalted);
        Assert.Equal(ArchiveEvidenceKind.RootMismatch, state.Evidence!.Kind);
        Assert.NotEmpty(state.Evidence.Proof);
        Assert.True(File.Exists(state.EvidencePath));
    }

    [Fact]
    public async Task EpochRecord_NotTheOneInTheLog_InclusionFailsRecordRefusedWithEvidence()
    {
        // Arrange: the server stores epoch 0's record but its log holds other bytes at the index it serves with it.
        _f.Server.Script.ArchiveOtherEpochRecord = true;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);

        // Act: Ben opens the channel: his client fetches the record and checks it by inclusion first.
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        var state = _f.Ben.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the validly signed record is refused (no epoch, no key), the view halted with the inclusion failure as
        // evidence, and nothing is read.
        Assert.Null(ben.CurrentEpoch);
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, state.Evidence!.Kind);
        Assert.Equal(ArchiveEntryKind.EpochRecord, ArchiveEntry.Decode(state.Evidence.Entry!.Value.Span).Value!.Kind);
        Assert.True(ArchiveEvidence.Parse(File.ReadAllBytes(state.EvidencePath!)).Value!.Recheck(new ArchiveKeyRing([_f.Server.ArchiveSigner.LogKey()])));
        Assert.Empty(await Participant.ReadAllAsync(ben));
        Assert.Null(ana.CurrentEpoch);
    }

    [Fact]
    public async Task EpochRecord_ServedWithoutItsArchiveIndex_AcceptedOnItsSignaturesWithAnAlert()
    {
        // Arrange: Ben holds a checkpoint of the log (he read an item); then the server hides the next record's index.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        await ana.SendAsync("one");
        await Participant.ReadAllAsync(ben);
        _f.Server.Script.OmitEpochArchiveIndexes = true;
        var eveAccount = _f.Server.AddAccount("Eve", "BRA");
        await using var eve = await Participant.JoinAsync(_f.Server, eveAccount);
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        Assert.Null(await ana.RefreshAsync());

        // Act
        Assert.Null(await ben.RefreshAsync());

        // Assert: the new epoch is accepted (its signature and chain verify) and Ben is told it was not checked.
        Assert.Equal(1u, ben.CurrentEpoch);
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.ArchiveUnverified && a.Epoch == 1);
        Assert.False(_f.Ben.Client.GetArchive(_f.ReviewId).GetState().IsHalted);
    }

    [Fact]
    public async Task TrustStatement_NotTheOneInTheLog_InclusionFailsStatementNotAppliedWithEvidence()
    {
        // Arrange: the server archives statements from now on, but logs other bytes at the index it serves with Ben's
        // certificate of Eve (a validly signed statement the log does not hold).
        _f.Server.Script.ArchiveStatements = true;
        _f.Server.Script.ArchiveOtherTrustStatement = true;
        await using var eve = await BenCertifiesEveAsync();

        // Act: Ana's client fetches the members listing and checks the new statement by inclusion first.
        var members = (await _f.Ana.Client.GetMembersAsync(_f.ReviewId)).Value!;
        var state = _f.Ana.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the certificate is not applied (Eve's device stays unverified), the view halted with the statement's
        // entry as inclusion evidence that rechecks against the log key, and Ana is told.
        var eveDevice = DeviceOf(members, eve);
        Assert.Equal(DeviceTrust.Unverified, eveDevice.Trust);
        Assert.Contains(members.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
        Assert.Equal(ArchiveEvidenceKind.InclusionFailure, state.Evidence!.Kind);
        Assert.Equal(ArchiveEntryKind.MembershipChange, ArchiveEntry.Decode(state.Evidence.Entry!.Value.Span).Value!.Kind);
        Assert.True(ArchiveEvidence.Parse(File.ReadAllBytes(state.EvidencePath!)).Value!.Recheck(new ArchiveKeyRing([_f.Server.ArchiveSigner.LogKey()])));
    }

    [Fact]
    public async Task TrustStatement_InTheLog_VerifiedByInclusionAndApplied()
    {
        // Arrange: statements are archived; Ben certifies Eve.
        _f.Server.Script.ArchiveStatements = true;
        await using var eve = await BenCertifiesEveAsync();

        // Act
        var members = (await _f.Ana.Client.GetMembersAsync(_f.ReviewId)).Value!;
        var state = _f.Ana.Client.GetArchive(_f.ReviewId).GetState();

        // Assert: the certificate counts, the view holds a checkpoint covering it, and nothing was flagged.
        var eveDevice = DeviceOf(members, eve);
        Assert.Equal(DeviceTrust.Certified, eveDevice.Trust);
        Assert.DoesNotContain(members.Alerts, a => a.Kind is ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified);
        Assert.False(state.IsHalted);
        Assert.NotNull(state.TreeSize);
    }

    [Fact]
    public async Task TrustStatement_CannotBeCheckedNow_AppliedOnItsSignaturesWithAnAlert()
    {
        // Arrange: statements are archived but every checkpoint is signed by a key the server does not list.
        _f.Server.Script.ArchiveStatements = true;
        _f.Server.Script.ForeignArchiveKey = true;
        await using var eve = await BenCertifiesEveAsync();

        // Act
        var members = (await _f.Ana.Client.GetMembersAsync(_f.ReviewId)).Value!;

        // Assert: applied (its signatures verify), flagged as not checked against the log, and the view did not halt.
        var eveDevice = DeviceOf(members, eve);
        Assert.Equal(DeviceTrust.Certified, eveDevice.Trust);
        Assert.Contains(members.Alerts, a => a.Kind == ChannelAlertKind.ArchiveUnverified);
        Assert.False(_f.Ana.Client.GetArchive(_f.ReviewId).GetState().IsHalted);
    }

    // Eve (BRA) joins and Ben, BRA's focal point, certifies her device: one new trust statement.
    private async Task<Participant> BenCertifiesEveAsync()
    {
        var eve = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Eve", "BRA"));
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        return eve;
    }

    private static DeviceView DeviceOf(ReviewMembersView members, Participant participant) =>
        members.Members.Single(m => m.AccountId == participant.Account.Id).Devices.Single(d => d.DeviceId == participant.Device.Id.ToString());

    [Fact]
    public async Task Cosignatures_OnlyFromFocalPointDevices_NotFromACertifiedExpert()
    {
        // Arrange: Eve, an expert of BRA certified by Ben (BRA's focal point), reads the channel.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var eveAccount = _f.Server.AddAccount("Eve", "BRA");
        await using var eve = await Participant.JoinAsync(_f.Server, eveAccount);
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("one");

        // Act
        var eveSession = await eve.OpenAsync(_f.ReviewId);
        var items = await Participant.ReadAllAsync(eveSession);

        // Assert: Eve verified the item but her client sent no cosignature; Ana's (a focal point's) did.
        Assert.Equal(ArchiveStatus.Verified, Assert.Single(items, i => i.HasContent).Archive);
        Assert.DoesNotContain(_f.Server.Script.Cosignatures, c => c.Contains(eve.Device.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(_f.Server.Script.Cosignatures, c => c.Contains(_f.Ana.Device.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_FromAStartAboveTheProcessedSequence_ReportsNoMissingItems()
    {
        // Arrange: the bug the CLI worked around: a first read from sequence 3 reported 1..3 as missing (and from > to).
        _f.Server.Script.Archive = false;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        for (var i = 0; i < 5; i++)
        {
            await ana.SendAsync($"item {i}");
        }

        // Act
        var items = await Participant.ReadAllAsync(ben, since: 3);

        // Assert: no sequence gap for what was not asked for (the sender's skipped counters are still reported, by the
        // sender ledger, which is why the CLI reads everything unprocessed and filters what it prints).
        Assert.Equal([4L, 5L], items.Where(i => i.HasContent).Select(i => i.Sequence));
        Assert.DoesNotContain(items, i => i.Status == DialogueItemStatus.Missing && i.MissingSource == MissingSource.Sequence);
        Assert.All(items.Where(i => i.HasContent), i => Assert.Equal(ArchiveStatus.NotChecked, i.Archive));
    }
}
