using SecureDialogue.Cli.Output;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>
/// How this device regards the review members' devices the server lists, read from the profile's pins without
/// changing them (nothing is pinned here: that happens when a channel is opened). An account already pinned that
/// shows another device, or a pinned device the server no longer lists, is an alert.
/// </summary>
internal sealed class DeviceTrustReport
{
    private readonly Dictionary<Guid, List<MemberDeviceView>> _devices = [];

    private DeviceTrustReport(IReadOnlyList<TrustAlertView> alerts, Dictionary<Guid, List<MemberDeviceView>> devices)
    {
        Alerts = alerts;
        _devices = devices;
    }

    public IReadOnlyList<TrustAlertView> Alerts { get; }

    public IReadOnlyList<MemberDeviceView> DevicesOf(Guid account) => _devices.TryGetValue(account, out var list) ? list : [];

    /// <param name="review">The review.</param>
    /// <param name="entries">The server's directory of the members' devices.</param>
    /// <param name="trust">This profile's pins.</param>
    /// <param name="ownDeviceId">This profile's device as <c>login</c> recorded it, for a profile whose pins do not list it yet.</param>
    public static DeviceTrustReport Of(ReviewDetail review, IReadOnlyList<DeviceEntry> entries, TrustStore trust, string? ownDeviceId)
    {
        var directory = DirectoryDevice.From(entries, out _);
        bool IsOwn(DirectoryDevice d) => trust.Classify(d.AccountId, d.Id) == DeviceTrust.Own || d.Id.ToString() == ownDeviceId;
        var own = directory.FirstOrDefault(IsOwn)?.Card;
        var devices = new Dictionary<Guid, List<MemberDeviceView>>();
        var alerts = new List<TrustAlertView>();
        foreach (var member in review.Members.Where(m => m.Role != MemberRole.Secretariat))
        {
            var list = new List<MemberDeviceView>();
            var firstUse = !trust.HasPins(member.AccountId);
            foreach (var device in directory.Where(d => d.AccountId == member.AccountId).OrderBy(d => d.RegisteredAt))
            {
                var fingerprint = Fingerprint.Of(device.Card);
                var state = IsOwn(device) ? "this-device" : trust.Classify(member.AccountId, device.Id) switch
                {
                    DeviceTrust.Pinned => "pinned",
                    DeviceTrust.Trusted => "trusted",
                    _ when firstUse => "first-use",
                    _ => "unverified",
                };
                list.Add(new MemberDeviceView(device.Id.ToString(), fingerprint, state, device.RegisteredAt));
                if (state == "unverified")
                {
                    var safety = own is null ? null : SafetyNumber.Of(own, device.Card);
                    alerts.Add(new TrustAlertView(Names.Kebab(ChannelAlertKind.UnverifiedDevice), member.DisplayName, device.Id.ToString(), fingerprint, safety,
                        $"{member.DisplayName} has a device this device has not verified ({device.Id}, fingerprint {fingerprint}); it gets no key until you trust it"));
                }
            }

            foreach (var pinned in trust.PinnedDevices(member.AccountId))
            {
                if (!directory.Any(d => d.Id == pinned && d.AccountId == member.AccountId) && trust.Classify(member.AccountId, pinned) != DeviceTrust.Own)
                {
                    alerts.Add(new TrustAlertView(Names.Kebab(ChannelAlertKind.PinnedDeviceMissing), member.DisplayName, pinned.ToString(), null, null,
                        $"the server no longer lists {member.DisplayName}'s pinned device {pinned}"));
                }
            }

            devices[member.AccountId] = list;
        }

        return new DeviceTrustReport(alerts, devices);
    }
}
