using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// Who reads, who manages and who may open each channel of a review (docs/protocol.md section 6; issue 3):
/// <c>dialogue</c> is read by every member but the secretariat and opened by a member of the State under
/// review; <c>reviewers</c> is read by the reviewing States' members and opened by one of them. Observers read
/// and never post or manage. Other channel names have no rule yet: nobody may open them.
/// </summary>
internal static class ChannelRules
{
    public static bool IsReader(ReviewDetail review, ReviewMember member, ChannelId channel)
    {
        if (member.Role == MemberRole.Secretariat)
        {
            return false;
        }

        if (channel == ChannelId.Dialogue)
        {
            return true;
        }

        return channel == ChannelId.Reviewers && member.StateCode is { } state && review.ReviewingStates.Contains(state, StringComparer.Ordinal);
    }

    public static bool MayPost(ReviewDetail review, ReviewMember member, ChannelId channel) =>
        member.Role != MemberRole.Observer && IsReader(review, member, channel);

    public static bool MayManage(ReviewMember member) => member.Role is not (MemberRole.Observer or MemberRole.Secretariat);

    public static bool MayOpen(ReviewDetail review, ReviewMember member, ChannelId channel)
    {
        if (!MayPost(review, member, channel))
        {
            return false;
        }

        if (channel == ChannelId.Dialogue)
        {
            return string.Equals(member.StateCode, review.ReviewedState, StringComparison.Ordinal);
        }

        return channel == ChannelId.Reviewers;
    }
}
