namespace SecureDialogue.Cli.Commands.Devices;

/// <summary>What <c>devices trust</c> prints.</summary>
/// <param name="Review">The review id.</param>
/// <param name="DeviceId">The device now trusted.</param>
/// <param name="Member">The member it is listed under.</param>
/// <param name="State">The member's State.</param>
/// <param name="Fingerprint">The device's fingerprint.</param>
/// <param name="SafetyNumber">The safety number of this device and that one.</param>
/// <param name="Channels">The channels this member reads, and whether their current epoch now includes the device.</param>
internal sealed record TrustedDeviceView(Guid Review, string DeviceId, string Member, string? State, string Fingerprint, string SafetyNumber, IReadOnlyList<ChannelEpochView> Channels)
{
    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Trusted {Member}{(State is null ? "" : $" ({State})")}'s device {DeviceId}");
        writer.WriteLine($"Fingerprint:   {Fingerprint}");
        writer.WriteLine($"Safety number: {SafetyNumber}");
        foreach (var channel in Channels)
        {
            var epoch = channel.CurrentEpoch is { } e ? $"epoch {e}" : "no epoch yet";
            writer.WriteLine(channel.IncludesDevice
                ? $"  {channel.Channel}: {epoch} includes it"
                : $"  {channel.Channel}: {epoch} does not include it yet (a managing member adds it when they next open the channel)");
        }
    }
}

/// <summary>A channel's current epoch after trusting a device.</summary>
internal sealed record ChannelEpochView(string Channel, uint? CurrentEpoch, bool IncludesDevice);
