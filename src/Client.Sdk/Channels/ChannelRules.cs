using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// Who reads, who manages and who may open each channel of a review (docs/protocol.md section 6; issue 3):
/// <c>dialogue</c> is read by every State member and opened by a member of the State under review; <c>reviewers</c>
/// is read by the reviewing States' members and opened by one of them. Observers read and never post or manage.
/// Secretariat staff read only the channels the verified disclosure policy names (<c>secretariatChannels</c>,
/// <see cref="Trust.ReviewTrust.SecretariatChannels"/>) and never post or manage. Other channel names have no rule
/// yet: nobody may open them.
/// </summary>
internal static class ChannelRules
{
    public static bool IsReader(ReviewDetail review, ReviewMember member, ChannelId channel, IReadOnlySet<string>? secretariatChannels = null)
    {
        if (member.Role == MemberRole.Secretariat)
        {
            return secretariatChannels?.Contains(channel.Value) == true;
        }

        if (channel == ChannelId.Dialogue)
        {
            return true;
        }

        return channel == ChannelId.Reviewers && member.StateCode is { } state && review.ReviewingStates.Contains(state, StringComparer.Ordinal);
    }

    public static bool MayPost(ReviewDetail review, ReviewMember member, ChannelId channel) =>
        member.Role is not (MemberRole.Observer or MemberRole.Secretariat) && IsReader(review, member, channel);

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

    /// <summary>
    /// Whether this client may open a session on the channel: a State member who reads it, or secretariat staff the
    /// server lets read it (the keys, not this check, decide whether it can decrypt anything).
    /// </summary>
    public static bool MayJoin(ReviewDetail review, ReviewMember member, ChannelId channel) =>
        member.Role == MemberRole.Secretariat
            ? review.Channels.Any(c => c.Name == channel.Value && c.Readers.Contains(member.AccountId))
            : IsReader(review, member, channel);
}
