using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Client.Tests.Trust;

/// <summary>
/// Security bar 9, 10 and 11 with focal-point certification in place (issue 6), against the scriptable server:
/// only devices a pinned focal point certified (and did not revoke) get keys, whatever the server lists.
/// </summary>
public sealed class CertificationTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync() => _f = await DialogueFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task RefreshAsync_ServerAddsAGhostMemberWithADevice_GetsNoKey()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ghostAccount = _f.Server.AddAccount("Gus (ghost)", "BRA");
        await using var ghost = await Participant.JoinAsync(_f.Server, ghostAccount);

        // Act: the server lists Gus as an expert of BRA without any certificate.
        _f.Server.AddMember(_f.ReviewId, ghostAccount, MemberRole.Expert);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("not for ghosts");

        // Assert
        Assert.Equal(0u, ana.CurrentEpoch);
        Assert.Contains(ana.UnverifiedDevices, d => d.AccountId == ghostAccount.Id);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.AccountId == ghostAccount.Id);
        AssertNoKeyFor(ghost.Device);
        var ghostSession = await ghost.OpenAsync(_f.ReviewId);
        Assert.False(ghostSession.CanRead);
        Assert.Contains(ghostSession.Alerts, a => a.Kind == ChannelAlertKind.OwnDeviceUncertified);
    }

    [Fact]
    public async Task RefreshAsync_CertificateSignedByAnotherStatesFocalPointOrForged_RefusedAndGetsNoKey()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var eveAccount = _f.Server.AddAccount("Eve", "BRA");
        await using var eve = await Participant.JoinAsync(_f.Server, eveAccount);
        _f.Server.AddMember(_f.ReviewId, eveAccount, MemberRole.Expert);
        var next = (ulong)_f.Server.Statements(_f.ReviewId).Count(s => s.Certifier == _f.Cai.Device.Id) + 1;

        // Act: Cai (CRI's focal point) signs a BRA certificate; Eve signs one for herself; one has a flipped signature.
        var byCai = TrustStatementBuilder.Certify(_f.Cai.Device, _f.ReviewId, "BRA", eve.Device.PublicKeys, eveAccount.Id, CertifiedRole.Expert,
            CertificateFlags.History, next, DateTimeOffset.UnixEpoch.AddYears(56));
        var byEve = TrustStatementBuilder.Certify(eve.Device, _f.ReviewId, "BRA", eve.Device.PublicKeys, eveAccount.Id, CertifiedRole.Expert,
            CertificateFlags.History, 1, DateTimeOffset.UnixEpoch.AddYears(56));
        var genuine = TrustStatementBuilder.Certify(_f.Ben.Device, _f.ReviewId, "BRA", eve.Device.PublicKeys, eveAccount.Id, CertifiedRole.Expert,
            CertificateFlags.History, 2, DateTimeOffset.UnixEpoch.AddYears(56));
        var flipped = genuine.Encoded.ToArray();
        flipped[^1] ^= 0x01;
        _f.Server.InjectStatement(_f.ReviewId, byCai.Encoded.ToArray());
        _f.Server.InjectStatement(_f.ReviewId, byEve.Encoded.ToArray());
        _f.Server.InjectStatement(_f.ReviewId, flipped);
        Assert.Null(await ana.RefreshAsync());

        // Assert
        Assert.Equal(0u, ana.CurrentEpoch);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.AccountId == eveAccount.Id);
        Assert.True(ana.Alerts.Count(a => a.Kind == ChannelAlertKind.CertificationProblem) >= 3);
        AssertNoKeyFor(eve.Device);
    }

    [Fact]
    public async Task ExpertRemovedByTheFocalPoint_ServerKeepsListingHer_RotatedOutCannotReadLaterItemsNorPost()
    {
        // Arrange: Ben certifies Eve; Ana's client rotates her in.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var eveAccount = _f.Server.AddAccount("Eve", "BRA");
        await using var eve = await Participant.JoinAsync(_f.Server, eveAccount);
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        Assert.Null(await ana.RefreshAsync());
        var eveSession = await eve.OpenAsync(_f.ReviewId);
        Assert.True(eveSession.CanPost);
        Assert.True((await eveSession.SendAsync("Eve while a member")).IsSuccess);

        // Act: Ben revokes her (removed); the colluding server keeps listing her and stores what she sends.
        var revoked = await _f.Ben.Client.RevokeAsync(_f.ReviewId, eve.Device.Id, RevocationReason.Removed);
        Assert.True(revoked.IsSuccess, revoked.ToString());
        _f.Server.AddMember(_f.ReviewId, eveAccount, MemberRole.Expert);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("after Eve's removal");
        _f.Server.Script.StoreNextWithoutValidation = true;
        var colluding = await eveSession.SendAsync("Eve after her removal");
        var anaView = await Participant.ReadAllAsync(ana);
        var eveView = await Participant.ReadAllAsync(eveSession);

        // Assert
        Assert.Equal(2u, ana.CurrentEpoch);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == eve.Device.Id.ToString());
        Assert.Contains(ana.Alerts, a => a.Kind == ChannelAlertKind.UnverifiedDevice && a.Device!.DeviceId == eve.Device.Id.ToString());
        Assert.True(colluding.IsSuccess);
        Assert.Collection(anaView,
            i => Assert.Equal((DialogueItemStatus.Verified, "Eve while a member"), (i.Status, i.Text)),
            i => Assert.Equal((DialogueItemStatus.Verified, "after Eve's removal"), (i.Status, i.Text)),
            i => Assert.Equal((DialogueItemStatus.SenderRemoved, (string?)null), (i.Status, i.Text)));
        Assert.Null(eveView.Single(i => i.Sequence == 2).Text);
        var record = EpochRecord.Decode(_f.Server.Records(_f.ReviewId, "dialogue")[2]).Value!;
        Assert.Null(record.FindMember(eve.Device.Id));
    }

    [Fact]
    public async Task LostDevice_RevokedAndNewDeviceCertified_OldOneRotatedOutNewOneIn()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var eveAccount = _f.Server.AddAccount("Eve", "BRA");
        await using var eveOld = await Participant.JoinAsync(_f.Server, eveAccount);
        await _f.Ben.CertifyAsync(_f.ReviewId, eveOld);
        Assert.Null(await ana.RefreshAsync());
        await using var eveNew = await Participant.JoinAsync(_f.Server, eveAccount);

        // Act
        Assert.True((await _f.Ben.Client.RevokeAsync(_f.ReviewId, eveOld.Device.Id, RevocationReason.Lost)).IsSuccess);
        await _f.Ben.CertifyAsync(_f.ReviewId, eveNew);
        Assert.Null(await ana.RefreshAsync());

        // Assert
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == eveOld.Device.Id.ToString());
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == eveNew.Device.Id.ToString() && m.Trust == DeviceTrust.Certified);
        var members = await _f.Ana.Client.GetMembersAsync(_f.ReviewId);
        var eve = members.Value!.Members.Single(m => m.AccountId == eveAccount.Id);
        Assert.Equal(RevocationReason.Lost, eve.Devices.Single(d => d.DeviceId == eveOld.Device.Id.ToString()).RevokedFor);
        var current = eve.Devices.Single(d => d.DeviceId == eveNew.Device.Id.ToString());
        Assert.Equal(("Ben", CertifiedRole.Expert), (current.CertifiedBy, current.Role));
    }

    [Fact]
    public async Task RefreshAsync_ServerWithholdsAStatement_GapReported()
    {
        // Arrange: Ben certifies Eve, then Fay.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await using var eve = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Eve", "BRA"));
        await using var fay = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Fay", "BRA"));
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        await _f.Ben.CertifyAsync(_f.ReviewId, fay);

        // Act: the server leaves Eve's certificate out.
        var position = _f.Server.Statements(_f.ReviewId).ToList().FindIndex(s => s.Subject == eve.Device.Id) + 1;
        _f.Server.WithheldStatements.Add(position);
        Assert.Null(await ana.RefreshAsync());

        // Assert
        Assert.Contains(ana.Alerts, a => a.Kind == ChannelAlertKind.CertificationProblem && a.Message.Contains("missing", StringComparison.Ordinal));
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == eve.Device.Id.ToString());
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == fay.Device.Id.ToString());
    }

    [Fact]
    public async Task FocalPointReplaced_NewRootTrustedOnlyWhenAccepted_OldCertificatesEndWhenTheOldRootIsRevoked()
    {
        // Arrange: Ben (BRA) certified Eve.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await using var eve = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Eve", "BRA"));
        await _f.Ben.CertifyAsync(_f.ReviewId, eve);
        Assert.Null(await ana.RefreshAsync());

        // Act 1: the secretariat registers Bea as BRA's focal point; she publishes her root and certifies Fay.
        var beaAccount = _f.Server.AddAccount("Bea", "BRA");
        _f.Server.SetFocalPoint(_f.ReviewId, beaAccount, "NV/BRA/2026/9");
        await using var bea = await Participant.JoinAsync(_f.Server, beaAccount);
        await bea.PublishRootAsync(_f.ReviewId);
        await using var fay = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Fay", "BRA"));
        await bea.CertifyAsync(_f.ReviewId, fay);
        Assert.Null(await ana.RefreshAsync());

        // Assert 1: Bea's root is shown, not trusted: neither she nor Fay get keys; Eve (Ben's certificate) keeps hers.
        var alert = Assert.Single(ana.Alerts, a => a.Kind == ChannelAlertKind.NewFocalPoint);
        Assert.Equal(Fingerprint.Of(bea.Device.PublicKeys), alert.Device!.Fingerprint);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.AccountId == beaAccount.Id || m.DeviceId == fay.Device.Id.ToString());
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == eve.Device.Id.ToString());

        // Act 2: Ana accepts Bea after comparing the fingerprint; Bea revokes Ben's root (replaced).
        Assert.True((await _f.Ana.Client.AcceptFocalPointAsync(_f.ReviewId, bea.Device.Id)).Value);
        Assert.Null(await ana.RefreshAsync());
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == fay.Device.Id.ToString());
        Assert.Contains(ana.CurrentMembers, m => m.AccountId == beaAccount.Id && m.Trust == DeviceTrust.FocalPoint);
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == eve.Device.Id.ToString());
        Assert.True((await bea.Client.RevokeAsync(_f.ReviewId, _f.Ben.Device.Id, RevocationReason.Replaced)).IsSuccess);
        Assert.Null(await ana.RefreshAsync());

        // Assert 2: Ben's certificates ended with his root; Bea's stand.
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == eve.Device.Id.ToString());
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == fay.Device.Id.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NewExpert_HistoryAsTheCertificateSays(bool history)
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        await ana.SendAsync("before Eve joined");
        await using var eve = await Participant.JoinAsync(_f.Server, _f.Server.AddAccount("Eve", "BRA"));

        // Act
        await _f.Ben.CertifyAsync(_f.ReviewId, eve, CertifiedRole.Expert, history);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("after Eve joined");
        var items = await Participant.ReadAllAsync(await eve.OpenAsync(_f.ReviewId));

        // Assert
        var first = items.First(i => i.Sequence == 1);
        Assert.Equal(history ? "before Eve joined" : null, first.Text);
        Assert.Equal(history ? DialogueItemStatus.Verified : DialogueItemStatus.UnknownEpoch, first.Status);
        Assert.Equal(DialogueItemStatus.Verified, items.Single(i => i.Text == "after Eve joined").Status);
    }

    // Replays the stored records into a chain anchored on Ana's device: the device is listed in none and unlocks no key.
    [Fact]
    public async Task SecretariatDevice_PolicyForgedByAnotherState_GetsNoKey_PolicyOfTheStateUnderReviewGivesAReadersKey_WithdrawalRotatesItOut()
    {
        // Arrange: Sam (secretariat) has a device that Ana, focal point of the State under review, certified for the
        // secretariat; Ben (a reviewing State) signs a policy naming "dialogue", which the server serves.
        var samAccount = _f.Server.AddAccount("Sam", null, isSecretariat: true);
        await using var sam = await Participant.JoinAsync(_f.Server, samAccount);
        _f.Server.AddMember(_f.ReviewId, samAccount, MemberRole.Secretariat);
        Assert.True((await _f.Ana.Client.CertifyAsync(_f.ReviewId, sam.Device.PublicKeys, samAccount.Id, CertifiedRole.Secretariat)).IsSuccess);
        var at = DateTimeOffset.UnixEpoch.AddYears(56);
        _f.Server.InjectPolicy(_f.ReviewId, DisclosurePolicyCodec.Sign(new DisclosurePolicy(_f.ReviewId, 1, MetadataLevel.PerState, ["dialogue"], at), _f.Ben.Device).Encoded);

        // Act
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var forged = (ana.CurrentEpoch, ana.CurrentMembers.Any(m => m.AccountId == samAccount.Id));
        _f.Server.ClearPolicies(_f.ReviewId);
        _f.Server.InjectPolicy(_f.ReviewId, DisclosurePolicyCodec.Sign(new DisclosurePolicy(_f.ReviewId, 1, MetadataLevel.PerState, ["dialogue"], at), _f.Ana.Device).Encoded);
        Assert.Null(await ana.RefreshAsync());
        var granted = (ana.CurrentEpoch, ana.CurrentMembers.Any(m => m.AccountId == samAccount.Id));
        var record = EpochRecord.Decode(_f.Server.Records(_f.ReviewId, "dialogue")[^1]).Value!;
        _f.Server.InjectPolicy(_f.ReviewId, DisclosurePolicyCodec.Sign(new DisclosurePolicy(_f.ReviewId, 2, MetadataLevel.PerState, [], at), _f.Ana.Device).Encoded);
        Assert.Null(await ana.RefreshAsync());
        var withdrawn = (ana.CurrentEpoch, ana.CurrentMembers.Any(m => m.AccountId == samAccount.Id));

        // Assert
        Assert.Equal((0u, false), forged);
        Assert.Contains(ana.Alerts, a => a.Kind == ChannelAlertKind.PolicyUnverified);
        Assert.Equal((1u, true), granted);
        Assert.False(record.FindMember(sam.Device.Id)!.MayManage);
        Assert.Equal((2u, false), withdrawn);
    }

    private void AssertNoKeyFor(DeviceIdentity device)
    {
        var chain = new EpochChain(_f.ReviewId, ChannelId.Dialogue, [_f.Ana.Device.Id]);
        using var keyring = new ChannelKeyring(device, chain);
        foreach (var bytes in _f.Server.Records(_f.ReviewId, "dialogue"))
        {
            var record = chain.Accept(bytes);
            Assert.True(record.IsSuccess, record.ToString());
            Assert.Null(record.Value.FindMember(device.Id));
            Assert.Equal(EpochError.NotAMember, keyring.Unlock(record.Value).Error);
        }
    }
}
