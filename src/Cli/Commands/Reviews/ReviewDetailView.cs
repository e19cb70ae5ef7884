using SecureDialogue.Cli.Output;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>
/// What <c>reviews show</c> and <c>reviews create</c> print: the review's metadata (members with State and role,
/// channels with their current epoch and last sequence) and, for a member who reads a channel, this device's view of
/// the members' devices (trust on first use) with its alerts. Never any content.
/// </summary>
/// <param name="ReviewId">The review id.</param>
/// <param name="Title">The title.</param>
/// <param name="ReviewedState">The State under review.</param>
/// <param name="ReviewingStates">The reviewing States.</param>
/// <param name="Languages">Working languages.</param>
/// <param name="CreatedAt">When the secretariat created it (server clock).</param>
/// <param name="You">The signed-in member's account id, when a member.</param>
/// <param name="Members">The members.</param>
/// <param name="Channels">The channels.</param>
/// <param name="DevicesVisible">False when the server does not show this account the member devices (the secretariat).</param>
/// <param name="Alerts">This device's trust alerts: unverified or missing devices.</param>
internal sealed record ReviewDetailView(
    Guid ReviewId,
    string Title,
    string ReviewedState,
    IReadOnlyList<string> ReviewingStates,
    IReadOnlyList<string> Languages,
    DateTimeOffset CreatedAt,
    Guid? You,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<ChannelStateView> Channels,
    bool DevicesVisible,
    IReadOnlyList<TrustAlertView> Alerts)
{
    public static ReviewDetailView Of(ReviewDetail review, Guid? you, DeviceTrustReport? devices) => new(
        review.ReviewId,
        review.Title,
        review.ReviewedState,
        review.ReviewingStates,
        review.Languages,
        review.CreatedAt,
        you,
        [.. review.Members.OrderBy(m => Rank(review, m)).ThenBy(m => m.StateCode, StringComparer.Ordinal).ThenBy(m => m.DisplayName, StringComparer.Ordinal)
            .Select(m => MemberView.Of(review, m, devices?.DevicesOf(m.AccountId)))],
        [.. review.Channels.Select(c => new ChannelStateView(c.Name, c.CurrentEpoch, c.LastSequence, c.Readers.Count, you is { } me && c.Readers.Contains(me)))],
        devices is not null,
        devices?.Alerts ?? []);

    // The State under review first, then the reviewing States, then the secretariat.
    private static int Rank(ReviewDetail review, ReviewMember member) =>
        member.StateCode == review.ReviewedState ? 0 : member.StateCode is not null ? 1 : 2;

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Review:    {ReviewId}");
        writer.WriteLine($"Title:     {Title}");
        writer.WriteLine($"Under review: {ReviewedState}   Reviewing: {string.Join(", ", ReviewingStates)}   Languages: {string.Join(", ", Languages)}");
        writer.WriteLine($"Created:   {Times.Format(CreatedAt)}");
        writer.WriteLine();
        writer.WriteLine("Members:");
        foreach (var member in Members)
        {
            var state = member.State is null ? "-" : $"{member.State} ({member.StateRole ?? "?"})";
            var reads = member.Reads.Count == 0 ? "reads no channel" : "reads " + string.Join(", ", member.Reads);
            writer.WriteLine($"  {member.Name}{(member.AccountId == You ? " (you)" : "")}  {member.Role}  State {state}  {reads}");
            foreach (var device in member.Devices ?? [])
            {
                writer.WriteLine($"      device {device.DeviceId}  {device.Fingerprint}  {device.Trust}");
            }
        }

        writer.WriteLine();
        writer.WriteLine("Channels:");
        foreach (var channel in Channels)
        {
            var epoch = channel.CurrentEpoch is { } e ? $"epoch {e}" : "no epoch yet";
            writer.WriteLine($"  {channel.Name,-10} {epoch,-14} last sequence {channel.LastSequence,-6} {channel.Readers} readers{(channel.YouRead ? " (you read it)" : "")}");
        }

        if (!DevicesVisible)
        {
            writer.WriteLine();
            writer.WriteLine("Devices:   not shown to you (the secretariat sees metadata only)");
        }

        if (Alerts.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Trust alerts (this device):");
            foreach (var alert in Alerts)
            {
                writer.WriteLine($"  ! {alert.Message}");
                if (alert.SafetyNumber is not null)
                {
                    writer.WriteLine($"    safety number {alert.SafetyNumber}: compare it with {alert.Member}, then 'sdlg devices trust {alert.DeviceId} --review {ReviewId}'");
                }
            }
        }
    }
}

/// <summary>A member of the review.</summary>
/// <param name="AccountId">The account id.</param>
/// <param name="Name">Display name.</param>
/// <param name="State">The member's State (null for the secretariat).</param>
/// <param name="StateRole"><c>under-review</c> or <c>reviewing</c>.</param>
/// <param name="Role"><c>expert</c>, <c>focal-point</c>, <c>observer</c> or <c>secretariat</c>.</param>
/// <param name="Reads">The channels the member reads.</param>
/// <param name="Devices">The member's devices as this device regards them; null when not visible.</param>
internal sealed record MemberView(Guid AccountId, string Name, string? State, string? StateRole, string Role, IReadOnlyList<string> Reads, IReadOnlyList<MemberDeviceView>? Devices)
{
    public static MemberView Of(ReviewDetail review, ReviewMember member, IReadOnlyList<MemberDeviceView>? devices)
    {
        string? stateRole = member.StateCode is null ? null
            : member.StateCode == review.ReviewedState ? Names.Kebab(Contracts.StateRole.UnderReview)
            : review.ReviewingStates.Contains(member.StateCode) ? Names.Kebab(Contracts.StateRole.Reviewing)
            : null;
        return new MemberView(member.AccountId, member.DisplayName, member.StateCode, stateRole, Names.Kebab(member.Role),
            [.. review.Channels.Where(c => c.Readers.Contains(member.AccountId)).Select(c => c.Name)], devices);
    }
}

/// <summary>A member's device and how this device regards it.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Fingerprint">Its fingerprint.</param>
/// <param name="Trust"><c>this-device</c>, <c>pinned</c>, <c>trusted</c>, <c>unverified</c>, or <c>first-use</c> (not seen yet: pinned when a channel is next opened).</param>
/// <param name="RegisteredAt">When the server says it was registered.</param>
internal sealed record MemberDeviceView(string DeviceId, string Fingerprint, string Trust, DateTimeOffset RegisteredAt);

/// <summary>A channel's state as the server reports it.</summary>
internal sealed record ChannelStateView(string Name, uint? CurrentEpoch, long LastSequence, int Readers, bool YouRead);

/// <summary>A trust alert of this device about a member's device.</summary>
/// <param name="Kind"><c>unverified-device</c> or <c>pinned-device-missing</c>.</param>
/// <param name="Member">The member's display name.</param>
/// <param name="DeviceId">The device concerned.</param>
/// <param name="Fingerprint">Its fingerprint, when listed.</param>
/// <param name="SafetyNumber">The safety number to compare with the member before trusting it.</param>
/// <param name="Message">One line for people.</param>
internal sealed record TrustAlertView(string Kind, string Member, string DeviceId, string? Fingerprint, string? SafetyNumber, string Message);
