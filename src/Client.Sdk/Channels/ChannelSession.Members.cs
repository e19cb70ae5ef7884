using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    // Takes the verified trust view: the directory (entries whose card matches their id), pinned roots and
    // certificates; keeps the legacy first-use pins up to date for display, and raises what the user must be told.
    private void UpdateDirectory(ReviewTrust trust)
    {
        _trust = trust;
        _directory = trust.Directory;
        if (trust.RefusedEntries > 0)
        {
            Alert(new ChannelAlert(ChannelAlertKind.DirectoryEntryRefused, $"{trust.RefusedEntries} directory entries had an invalid card or a card that does not match the device id"));
        }

        var members = _review.Members.Where(m => m.Role != MemberRole.Secretariat).ToList();
        _core.Trust.Observe(_directory, members.Select(m => m.AccountId), _me.AccountId, _core.Device.PublicKeys, _core.Time.GetUtcNow());
        var unverified = new List<UnverifiedDevice>();
        // First-use root pins are reported by the member listing (sdlg members), not as channel alerts.
        foreach (var notice in trust.Notices.Where(n => n.Kind != ChannelAlertKind.FocalPointPinned))
        {
            Alert(notice);
            if (notice is { Kind: ChannelAlertKind.UnverifiedDevice, Device: { } device })
            {
                unverified.Add(device);
            }
        }

        _unverified = unverified;
    }

    // The devices this client wants in the channel's epoch: its own, and the listed devices of the accounts that read
    // the channel which their State's focal point certified (and did not revoke); managers are the members neither the
    // server nor the certificate calls observers. Secretariat staff read where the verified disclosure policy names the
    // channel, with devices the State under review certified for the secretariat, and never manage; when the policy
    // withdraws the channel they drop out of the desired set, so the next refresh rotates them out.
    private List<MemberDevice> DesiredMembers()
    {
        var own = _core.Device.PublicKeys;
        var desired = new List<MemberDevice>();
        foreach (var member in _review.Members.Where(m => ChannelRules.IsReader(_review, m, ChannelId, _trust?.SecretariatChannels)))
        {
            if (member.AccountId == _me.AccountId)
            {
                desired.Add(new MemberDevice(own, ChannelRules.MayManage(member) && _trust?.CertifiedFor(member, own.Id) is not { Role: CertifiedRole.Observer }));
            }

            foreach (var device in _directory.Where(d => d.AccountId == member.AccountId && d.Id != own.Id))
            {
                if (_trust?.CertifiedFor(member, device.Id) is { } certified && !desired.Any(d => d.Device.Id == device.Id))
                {
                    desired.Add(new MemberDevice(certified.Card, ChannelRules.MayManage(member) && certified.Role != CertifiedRole.Observer));
                }
            }
        }

        return desired;
    }

    // Devices allowed to open epoch 0: certified devices of members who may open this channel.
    private HashSet<DeviceId> Anchors()
    {
        var anchors = new HashSet<DeviceId>();
        foreach (var member in _review.Members.Where(m => ChannelRules.MayOpen(_review, m, ChannelId)))
        {
            if (member.AccountId == _me.AccountId)
            {
                anchors.Add(_core.Device.Id);
            }

            foreach (var device in _directory.Where(d => d.AccountId == member.AccountId))
            {
                if (_trust?.CertifiedFor(member, device.Id) is { Role: not CertifiedRole.Observer })
                {
                    anchors.Add(device.Id);
                }
            }
        }

        return anchors;
    }

    private ItemSender SenderOf(DeviceId device)
    {
        if (device == _core.Device.Id)
        {
            return new ItemSender(device.ToString(), _me.AccountId, _me.DisplayName, _me.StateCode, DeviceTrust.Own);
        }

        var entry = _directory.FirstOrDefault(d => d.Id == device);
        var account = entry?.AccountId ?? _core.Trust.AccountOf(device);
        if (account is not { } id)
        {
            return new ItemSender(device.ToString(), null, null, null, DeviceTrust.Unverified);
        }

        var member = _review.Members.FirstOrDefault(m => m.AccountId == id);
        return new ItemSender(device.ToString(), id, member?.DisplayName ?? entry?.DisplayName, member?.StateCode ?? entry?.StateCode,
            _trust?.Classify(id, device, _core.Device.Id) ?? DeviceTrust.Unverified);
    }

    private static bool SameMembers(EpochRecord record, List<MemberDevice> desired) =>
        record.Members.Length == desired.Count &&
        desired.All(d => record.FindMember(d.Device.Id) is { } m && m.MayManage == d.MayManage);
}
