using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>
/// Who reads and who posts in a review's channels. <c>dialogue</c>: every member except the secretariat, observers
/// read only. <c>reviewers</c>: members of reviewing States only, observers read only. The secretariat reads only the
/// channels the review's current disclosure policy names (<c>secretariatChannels</c>, docs/protocol.md
/// 19.1): their envelopes and epoch records, never anything else; it never posts nor authors epoch records.
/// </summary>
internal static class ChannelRules
{
    /// <summary>The channels every review has.</summary>
    public static IReadOnlyList<string> All { get; } = [ChannelId.Dialogue.Value, ChannelId.Reviewers.Value];

    /// <summary>Whether a review has this channel.</summary>
    public static bool Exists(string? channel) => channel is not null && All.Contains(channel, StringComparer.Ordinal);

    /// <summary>Whether a member with this role, of a State with this role, reads the channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="role">The member's role.</param>
    /// <param name="stateRole">The role of the member's State in the review.</param>
    /// <param name="secretariatChannels">For the secretariat: the channels the current disclosure policy names.</param>
    public static bool Reads(string channel, MemberRole role, StateRole? stateRole, IReadOnlyCollection<string>? secretariatChannels = null) =>
        role == MemberRole.Secretariat
            ? Exists(channel) && secretariatChannels?.Contains(channel, StringComparer.Ordinal) == true
            : channel switch
            {
                "dialogue" => true,
                "reviewers" => stateRole == StateRole.Reviewing,
                _ => false,
            };

    /// <summary>Whether such a member may post envelopes and author epoch records in the channel (never the secretariat).</summary>
    public static bool MayPost(string channel, MemberRole role, StateRole? stateRole) =>
        role is not (MemberRole.Observer or MemberRole.Secretariat) && Reads(channel, role, stateRole);

    /// <summary>Whether such a member may open the channel's epoch 0: the State under review opens <c>dialogue</c>, a reviewing State <c>reviewers</c>.</summary>
    public static bool MayOpen(string channel, MemberRole role, StateRole? stateRole) =>
        MayPost(channel, role, stateRole) && channel switch
        {
            "dialogue" => stateRole == StateRole.UnderReview,
            "reviewers" => stateRole == StateRole.Reviewing,
            _ => false,
        };
}
