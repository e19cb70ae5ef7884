using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;
using SecureDialogue.Client.Trust;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Trust;

/// <summary>Security bar 9, 10 and 11, and epoch records the server forks or forges.</summary>
public sealed class MembershipTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync() => _f = await DialogueFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task RefreshAsync_ServerSubstitutesAMembersCard_NewCardReportedUncertifiedAndGetsNoKey()
    {
        // Arrange: epoch 0 holds Ana, Ben and Cai, each their State's pinned focal point device.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        using var mallory = DeviceIdentity.Create();

        // Act: the server now lists Mallory's card as Ben's device.
        _f.Server.SubstituteCard(_f.Ben.Device.Id.ToString(), mallory.PublicKeys);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("after the substitution");

        // Assert
        Assert.Contains(ana.UnverifiedDevices, d => d.DeviceId == mallory.Id.ToString() && d.AccountId == _f.Ben.Account.Id);
        Assert.Contains(ana.Alerts, a => a.Kind == ChannelAlertKind.UnverifiedDevice && a.Device!.DeviceId == mallory.Id.ToString());
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == mallory.Id.ToString());
        AssertNoKeyFor(mallory);
    }

    [Fact]
    public async Task RefreshAsync_ServerAddsAGhostDevice_NoKeyEvenWhenTrustedLocally_UntilTheFocalPointCertifiesIt()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        using var ghost = DeviceIdentity.Create();

        // Act
        _f.Server.AddGhostDevice(_f.Ben.Account, ghost.PublicKeys);
        Assert.Null(await ana.RefreshAsync());
        await ana.SendAsync("not for the ghost");

        // Assert: no rotation for it, reported with what to compare, and no key in any record.
        Assert.Equal(0u, ana.CurrentEpoch);
        var notice = Assert.Single(ana.UnverifiedDevices);
        Assert.Equal(ghost.Id.ToString(), notice.DeviceId);
        Assert.Equal(Fingerprint.Of(ghost.PublicKeys), notice.Fingerprint);
        Assert.Equal(SafetyNumber.Of(_f.Ana.Device.PublicKeys, ghost.PublicKeys), notice.SafetyNumber);
        AssertNoKeyFor(ghost);

        // Trusting it locally is not enough: only the State decides who holds keys.
        Assert.True(_f.Ana.Client.TrustDevice(notice));
        Assert.Null(await ana.RefreshAsync());
        Assert.Equal(0u, ana.CurrentEpoch);
        AssertNoKeyFor(ghost);

        // Once Ben, BRA's focal point, certifies it as his own second device, the next epoch includes it.
        var certified = await _f.Ben.Client.CertifyAsync(_f.ReviewId, ghost.PublicKeys, _f.Ben.Account.Id, CertifiedRole.FocalPoint);
        Assert.True(certified.IsSuccess, certified.ToString());
        Assert.Null(await ana.RefreshAsync());
        Assert.Equal(1u, ana.CurrentEpoch);
        Assert.Contains(ana.CurrentMembers, m => m.DeviceId == ghost.Id.ToString() && m.Trust == DeviceTrust.Certified);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RemovedMember_CannotReadLaterItems_AndItsPostsAreRefusedByClients(bool serverOmitsEpochBoundaries)
    {
        // Arrange
        _f.Server.Script.OmitStoredAfterSequence = serverOmitsEpochBoundaries;
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var cai = await _f.Cai.OpenAsync(_f.ReviewId);
        await cai.SendAsync("Cai before his removal");

        // Act: the secretariat removes Cai; Ana's client rotates without him.
        _f.Server.RemoveMember(_f.ReviewId, _f.Cai.Account);
        Assert.Null(await ana.RefreshAsync());
        var honestRefusal = await cai.SendAsync("Cai after his removal, honest server");
        await ana.SendAsync("Ana after Cai's removal");
        _f.Server.Script.StoreNextWithoutValidation = true;
        _f.Server.Script.ServeNonMembers = true;
        var colluding = await cai.SendAsync("Cai after his removal, colluding server");
        var anaView = await Participant.ReadAllAsync(ana);
        var caiView = await Participant.ReadAllAsync(cai);
        var freshBenView = await Participant.ReadAllAsync(await _f.Ben.OpenAsync(_f.ReviewId));

        // Assert
        Assert.Equal(1u, ana.CurrentEpoch);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == _f.Cai.Device.Id.ToString());
        Assert.False(honestRefusal.IsSuccess);
        Assert.Equal(SendErrorKind.Refused, honestRefusal.Error.Kind);
        Assert.True(colluding.IsSuccess);
        foreach (var view in new[] { anaView, freshBenView })
        {
            Assert.Collection(view,
                i => Assert.Equal((DialogueItemStatus.Verified, "Cai before his removal"), (i.Status, i.Text)),
                i => Assert.Equal((DialogueItemStatus.Verified, "Ana after Cai's removal"), (i.Status, i.Text)),
                i => Assert.Equal((DialogueItemStatus.SenderRemoved, (string?)null), (i.Status, i.Text)));
        }

        var after = caiView.Single(i => i.Sequence == 2);
        Assert.Equal(DialogueItemStatus.UnknownEpoch, after.Status);
        Assert.Null(after.Text);
        Assert.Contains(cai.Alerts, a => a.Kind == ChannelAlertKind.NotAMember);
    }

    [Fact]
    public async Task RefreshAsync_RecordSignedByANonManager_RefusedAndReported()
    {
        // Arrange: an observer is listed in epoch 0 without the manage flag.
        var observer = _f.Server.AddAccount("Olga (observer)", "AUT");
        var reviewId = _f.Server.CreateReview("AUT", ["BRA"], (_f.Ana.Account, MemberRole.FocalPoint), (_f.Ben.Account, MemberRole.FocalPoint), (observer, MemberRole.Observer));
        await using var olga = await Participant.JoinAsync(_f.Server, observer);
        await Participant.PublishRootsAsync(reviewId, _f.Ana, _f.Ben);
        await _f.Ana.CertifyAsync(reviewId, olga, CertifiedRole.Observer);
        var ana = await _f.Ana.OpenAsync(reviewId);
        var record0 = EpochRecord.Decode(_f.Server.Records(reviewId, "dialogue")[0]).Value!;
        Assert.False(record0.FindMember(olga.Device.Id)!.MayManage);

        // Act: the server stores a record the observer signed, adding a device of its choosing.
        using var ghost = DeviceIdentity.Create();
        var (forged, key) = EpochRecordBuilder.Next(olga.Device, record0,
            [new MemberDevice(olga.Device.PublicKeys, true), new MemberDevice(ghost.PublicKeys, true)], DateTimeOffset.UnixEpoch.AddYears(56));
        key.Dispose();
        _f.Server.InjectEpochRecord(reviewId, "dialogue", forged.Encoded.ToArray());
        Assert.Null(await ana.RefreshAsync());
        var sent = await ana.SendAsync("never sealed under the forged epoch");

        // Assert
        var alert = Assert.Single(ana.Alerts, a => a.Kind == ChannelAlertKind.EpochRecordRefused);
        Assert.Equal(EpochError.NotAuthorized, alert.EpochError);
        Assert.Equal(1u, alert.Epoch);
        Assert.Equal(0u, ana.CurrentEpoch);
        Assert.DoesNotContain(ana.CurrentMembers, m => m.DeviceId == ghost.Id.ToString());

        // The server now refuses posts in the real epoch (it can always deny service), but the client never
        // seals anything under the forged epoch's key.
        Assert.False(sent.IsSuccess);
        Assert.Equal(ProblemTypes.StaleEpoch, sent.Error.Api!.Value.Type);
        Assert.Empty(_f.Server.Items(reviewId, "dialogue"));
        Assert.False((await olga.OpenAsync(reviewId)).CanPost);
    }

    [Fact]
    public async Task RefreshAsync_ServerShowsASecondValidRecordForAnEpoch_ForkReportedAndEvidenceKept()
    {
        // Arrange
        await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        var (alternative, key) = EpochRecordBuilder.Genesis(_f.Ana.Device, _f.ReviewId, ChannelId.Dialogue,
            [new MemberDevice(_f.Ana.Device.PublicKeys, true), new MemberDevice(_f.Ben.Device.PublicKeys, true)], DateTimeOffset.UnixEpoch.AddYears(56));
        key.Dispose();

        // Act
        _f.Server.Script.EpochViews[_f.Ben.Account.Id] = [alternative.Encoded.ToArray()];
        Assert.Null(await ben.RefreshAsync());
        await using var restarted = await _f.Ben.RestartAsync(_f.Server);
        var reopened = await restarted.OpenAsync(_f.ReviewId);

        // Assert
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.Fork && a.Epoch == 0);
        Assert.Contains(reopened.Alerts, a => a.Kind == ChannelAlertKind.Fork && a.Epoch == 0);
        Assert.Equal(0u, reopened.CurrentEpoch);
    }

    [Fact]
    public async Task RefreshAsync_ServerRollsBackTheEpochList_ReportedAndAcceptedEpochKept()
    {
        // Arrange: two epochs accepted.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        _f.Server.RemoveMember(_f.ReviewId, _f.Cai.Account);
        Assert.Null(await ana.RefreshAsync());
        Assert.Null(await ben.RefreshAsync());

        // Act: the server now shows Ben only epoch 0.
        _f.Server.Script.EpochViews[_f.Ben.Account.Id] = [_f.Server.Records(_f.ReviewId, "dialogue")[0]];
        Assert.Null(await ben.RefreshAsync());

        // Assert
        Assert.Contains(ben.Alerts, a => a.Kind == ChannelAlertKind.EpochsWithheld);
        Assert.Equal(1u, ben.CurrentEpoch);
    }

    // Replays the stored records into a chain anchored on Ana's device: the device is listed in none and unlocks no key.
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
