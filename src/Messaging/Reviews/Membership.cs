using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>A caller's place in one review.</summary>
internal sealed record Membership(Guid ReviewId, Guid AccountId, MemberRole Role, string? StateCode, StateRole? StateRole)
{
    /// <summary>For secretariat staff: the channels the review's current disclosure policy names (empty for everyone else).</summary>
    public IReadOnlyList<string> SecretariatChannels { get; init; } = [];

    public bool Reads(string channel) => ChannelRules.Reads(channel, Role, StateRole, SecretariatChannels);

    public bool MayPost(string channel) => ChannelRules.MayPost(channel, Role, StateRole);

    public bool MayOpen(string channel) => ChannelRules.MayOpen(channel, Role, StateRole);

    /// <summary>The channels this member reads (and is joined to on the hub).</summary>
    public IReadOnlyList<string> ReadableChannels => [.. ChannelRules.All.Where(Reads)];
}

/// <summary>What a caller wants to do in a channel.</summary>
internal enum ChannelAccess
{
    /// <summary>Fetch envelopes or epoch records.</summary>
    Read,

    /// <summary>Send envelopes or add epoch records.</summary>
    Post,
}
