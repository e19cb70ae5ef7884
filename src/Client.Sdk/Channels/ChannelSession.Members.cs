using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    // Takes the server's directory: keeps entries whose card matches their id, pins first-seen devices (TOFU),
    // and lists member devices that stay unverified.
    private void UpdateDirectory(IReadOnlyList<DeviceEntry> entries)
    {
        _directory = DirectoryDevice.From(entries, out var refused);
        if (refused > 0)
        {
            Alert(new ChannelAlert(ChannelAlertKind.DirectoryEntryRefused, $"{refused} directory entries had an invalid card or a card that does not match the device id"));
        }

        var members = _review.Members.Where(m => m.Role != MemberRole.Secretariat).ToList();
        _core.Trust.Observe(_directory, members.Select(m => m.AccountId), _me.AccountId, _core.Device.PublicKeys, _core.Time.GetUtcNow());

        var own = _core.Device.PublicKeys;
        var unverified = new List<UnverifiedDevice>();
        foreach (var device in _directory)
        {
            var member = members.FirstOrDefault(m => m.AccountId == device.AccountId);
            if (member is null || device.Id == own.Id || _core.Trust.Classify(device.AccountId, device.Id) != DeviceTrust.Unverified)
            {
                continue;
            }

            var notice = new UnverifiedDevice(device.AccountId, member.DisplayName, member.StateCode, device.Id.ToString(),
                Fingerprint.Of(device.Card), SafetyNumber.Of(own, device.Card), device.Card.Encode());
            unverified.Add(notice);
            Alert(new ChannelAlert(ChannelAlertKind.UnverifiedDevice,
                $"{member.DisplayName} has a device this client has not verified ({notice.DeviceId}); it gets no key until you trust it") { Device = notice });
        }

        _unverified = unverified;

        foreach (var member in members.Where(m => m.AccountId != _me.AccountId))
        {
            foreach (var pinned in _core.Trust.PinnedDevices(member.AccountId))
            {
                if (!_directory.Any(d => d.Id == pinned && d.AccountId == member.AccountId))
                {
                    Alert(new ChannelAlert(ChannelAlertKind.PinnedDeviceMissing,
                        $"the server no longer lists {member.DisplayName}'s pinned device {pinned}"));
                }
            }
        }
    }

    // The devices this client wants in the channel's epoch: trusted (own, pinned or explicitly trusted) and
    // listed devices of the accounts that read the channel; managers are the non-observer members.
    private List<MemberDevice> DesiredMembers()
    {
        var own = _core.Device.PublicKeys;
        var desired = new List<MemberDevice>();
        foreach (var member in _review.Members.Where(m => ChannelRules.IsReader(_review, m, ChannelId)))
        {
            var manage = ChannelRules.MayManage(member);
            if (member.AccountId == _me.AccountId)
            {
                desired.Add(new MemberDevice(own, manage));
            }

            foreach (var device in _directory.Where(d => d.AccountId == member.AccountId && d.Id != own.Id))
            {
                if (_core.Trust.Classify(member.AccountId, device.Id) != DeviceTrust.Unverified && !desired.Any(d => d.Device.Id == device.Id))
                {
                    desired.Add(new MemberDevice(device.Card, manage));
                }
            }
        }

        return desired;
    }

    // Devices allowed to open epoch 0: trusted devices of members who may open this channel.
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
                if (_core.Trust.Classify(member.AccountId, device.Id) != DeviceTrust.Unverified)
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
            _core.Trust.Classify(id, device));
    }

    private static bool SameMembers(EpochRecord record, List<MemberDevice> desired) =>
        record.Members.Length == desired.Count &&
        desired.All(d => record.FindMember(d.Device.Id) is { } m && m.MayManage == d.MayManage);
}
