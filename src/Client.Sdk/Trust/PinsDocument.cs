namespace SecureDialogue.Client.Trust;

/// <summary>The device pins of a profile for one server (<c>pins.json</c>).</summary>
internal sealed class PinsDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<PinnedAccount> Accounts { get; set; } = [];

    /// <summary>The focal points' root devices this client pinned, per review and State (absent in older files: none).</summary>
    public List<PinnedRoot> Roots { get; set; } = [];
}

/// <summary>A State's trust root in a review: the focal point's device card as pinned, its account, and how it was pinned.</summary>
internal sealed record PinnedRoot(Guid ReviewId, string StateCode, string DeviceId, byte[] Card, Guid AccountId, RootPin How, DateTimeOffset Since);

/// <summary>The pinned devices of one account.</summary>
internal sealed record PinnedAccount(Guid AccountId, List<PinnedDevice> Devices);

/// <summary>A pinned device: its card as first seen, and whether it was pinned on first use or trusted explicitly.</summary>
internal sealed record PinnedDevice(string DeviceId, byte[] Card, DeviceTrust Trust, DateTimeOffset Since);
