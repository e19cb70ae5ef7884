namespace SecureDialogue.Contracts;

/// <summary>
/// HTTP API routes. Every response body is JSON; every error is RFC 9457 problem details with a stable
/// <c>type</c> from <see cref="ProblemTypes"/>. Binary values (cards, records, envelopes) are base64.
/// </summary>
public static class HttpRoutes
{
    /// <summary><c>GET</c>: the signed-in account and its devices (<see cref="MeResponse"/>).</summary>
    public const string Me = "/api/me";

    /// <summary><c>POST</c> <see cref="RegisterDevice"/> → <see cref="DeviceEntry"/>.</summary>
    public const string Devices = "/api/devices";

    /// <summary><c>GET</c> → <see cref="ReviewSummary"/>[]; <c>POST</c> <see cref="CreateReview"/> (secretariat) → <see cref="ReviewDetail"/>.</summary>
    public const string Reviews = "/api/reviews";

    /// <summary><c>GET</c> → <see cref="ReviewDetail"/>.</summary>
    public const string Review = "/api/reviews/{reviewId:guid}";

    /// <summary><c>GET</c> → <see cref="DeviceEntry"/>[] of the review's members.</summary>
    public const string ReviewDevices = "/api/reviews/{reviewId:guid}/devices";

    /// <summary><c>GET ?after=E</c> → <see cref="EpochRecordEntry"/>[]; <c>POST</c> <see cref="AddEpochRecord"/>.</summary>
    public const string Epochs = "/api/reviews/{reviewId:guid}/channels/{channel}/epochs";

    /// <summary><c>GET ?after=S&amp;limit=N</c> → <see cref="EnvelopePage"/>; <c>POST</c> <see cref="SendEnvelope"/> → <see cref="SendAck"/>.</summary>
    public const string Envelopes = "/api/reviews/{reviewId:guid}/channels/{channel}/envelopes";
}

/// <summary>Stable problem-details types.</summary>
public static class ProblemTypes
{
    /// <summary>Prefix of every type URI.</summary>
    public const string Prefix = "https://securedialogue.invalid/problems/";

    /// <summary>The request body or a parameter is malformed.</summary>
    public const string BadRequest = Prefix + "bad-request";

    /// <summary>The envelope is malformed, too large, or of an unsupported version.</summary>
    public const string MalformedEnvelope = Prefix + "malformed-envelope";

    /// <summary>The envelope's signature does not verify with the sender's registered card.</summary>
    public const string InvalidSignature = Prefix + "invalid-signature";

    /// <summary>The sender's counter is not newer than its last stored one.</summary>
    public const string ReplayedCounter = Prefix + "replayed-counter";

    /// <summary>The envelope or record is for another review or channel than the route.</summary>
    public const string WrongContext = Prefix + "wrong-context";

    /// <summary>The caller is not a member allowed to do this.</summary>
    public const string Forbidden = Prefix + "forbidden";

    /// <summary>No such review, channel, device or item.</summary>
    public const string NotFound = Prefix + "not-found";

    /// <summary>The epoch record does not extend the channel's chain.</summary>
    public const string EpochConflict = Prefix + "epoch-conflict";

    /// <summary>The envelope's epoch is not the channel's current epoch, or the sender is not listed in it.</summary>
    public const string StaleEpoch = Prefix + "stale-epoch";
}

/// <summary>The signed-in account.</summary>
public sealed record MeResponse(Guid AccountId, string Issuer, string Subject, string DisplayName, bool IsSecretariat, IReadOnlyList<DeviceEntry> Devices);

/// <summary>Registers this device's self-signed card (130 bytes, docs/protocol.md "Device card").</summary>
public sealed record RegisterDevice(byte[] Card);

/// <summary>A registered device.</summary>
public sealed record DeviceEntry(string DeviceId, Guid AccountId, string DisplayName, string StateCode, byte[] Card, DateTimeOffset RegisteredAt);

/// <summary>A State's part in a review.</summary>
public enum StateRole
{
    /// <summary>The State party under review.</summary>
    UnderReview = 1,

    /// <summary>A reviewing State.</summary>
    Reviewing = 2,
}

/// <summary>A person's role in a review.</summary>
public enum MemberRole
{
    /// <summary>Governmental expert.</summary>
    Expert = 1,

    /// <summary>Focal point.</summary>
    FocalPoint = 2,

    /// <summary>Observer: reads, never posts.</summary>
    Observer = 3,

    /// <summary>Secretariat staff assigned to the review: metadata only.</summary>
    Secretariat = 4,
}

/// <summary>A member to add when the secretariat creates a review: an account by its issuer subject.</summary>
public sealed record NewMember(string Subject, string DisplayName, string? StateCode, MemberRole Role);

/// <summary>Creates a review (secretariat only).</summary>
public sealed record CreateReview(string Title, string ReviewedState, IReadOnlyList<string> ReviewingStates, IReadOnlyList<string> Languages, IReadOnlyList<NewMember> Members);

/// <summary>A review in a list.</summary>
public sealed record ReviewSummary(Guid ReviewId, string Title, string ReviewedState, IReadOnlyList<string> ReviewingStates, DateTimeOffset CreatedAt);

/// <summary>A member of a review.</summary>
public sealed record ReviewMember(Guid AccountId, string DisplayName, string? StateCode, MemberRole Role);

/// <summary>A channel of a review and who may read it.</summary>
public sealed record ChannelInfo(string Name, IReadOnlyList<Guid> Readers, uint? CurrentEpoch, long LastSequence);

/// <summary>A review with its members and channels.</summary>
public sealed record ReviewDetail(Guid ReviewId, string Title, string ReviewedState, IReadOnlyList<string> ReviewingStates, IReadOnlyList<string> Languages, IReadOnlyList<ReviewMember> Members, IReadOnlyList<ChannelInfo> Channels, DateTimeOffset CreatedAt);

/// <summary>Adds the next epoch record of a channel (docs/protocol.md "Epoch record").</summary>
public sealed record AddEpochRecord(byte[] Record);

/// <summary>A stored epoch record.</summary>
public sealed record EpochRecordEntry(uint Epoch, byte[] Record, DateTimeOffset StoredAt)
{
    /// <summary>
    /// The channel's last envelope sequence when this record was stored (0 when none): envelopes at or below it
    /// precede the epoch. Clients use it to tell history from new posts of a removed member (docs/protocol.md,
    /// "Opening rules" 4a). Null when the server does not report it; clients then fall back to what they saw.
    /// </summary>
    public long? StoredAfterSequence { get; init; }
}

/// <summary>A stored envelope.</summary>
public sealed record StoredEnvelope(long Sequence, byte[] Envelope, DateTimeOffset StoredAt);

/// <summary>A page of a channel's envelopes in sequence order; <paramref name="Next"/> is null at the end.</summary>
public sealed record EnvelopePage(IReadOnlyList<StoredEnvelope> Items, long? Next);
