using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>
/// Who reads and who posts in a review's channels. <c>dialogue</c>: every member except the secretariat, observers
/// read only. <c>reviewers</c>: members of reviewing States only, observers read only. The secretariat reads no
/// channel: it sees metadata, never envelope bytes or epoch records.
/// </summary>
internal static class ChannelRules
{
    /// <summary>The channels every review has.</summary>
    public static IReadOnlyList<string> All { get; } = [ChannelId.Dialogue.Value, ChannelId.Reviewers.Value];

    /// <summary>Whether a review has this channel.</summary>
    public static bool Exists(string? channel) => channel is not null && All.Contains(channel, StringComparer.Ordinal);

    /// <summary>Whether a member with this role, of a State with this role, reads the channel.</summary>
    public static bool Reads(string channel, MemberRole role, StateRole? stateRole) => role != MemberRole.Secretariat && channel switch
    {
        "dialogue" => true,
        "reviewers" => stateRole == StateRole.Reviewing,
        _ => false,
    };

    /// <summary>Whether such a member may post envelopes and author epoch records in the channel.</summary>
    public static bool MayPost(string channel, MemberRole role, StateRole? stateRole) =>
        role != MemberRole.Observer && Reads(channel, role, stateRole);

    /// <summary>Whether such a member may open the channel's epoch 0: the State under review opens <c>dialogue</c>, a reviewing State <c>reviewers</c>.</summary>
    public static bool MayOpen(string channel, MemberRole role, StateRole? stateRole) =>
        MayPost(channel, role, stateRole) && channel switch
        {
            "dialogue" => stateRole == StateRole.UnderReview,
            "reviewers" => stateRole == StateRole.Reviewing,
            _ => false,
        };
}
