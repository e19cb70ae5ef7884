using System.Text.Json.Serialization;

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

    /// <summary>
    /// <c>POST</c> <see cref="DevTokenRequest"/> → <see cref="DevTokenResponse"/>: development sign-in, served only by the
    /// embedded profile (404 otherwise). Anyone who can reach the server can sign in as anyone: keep it on loopback.
    /// </summary>
    public const string DevToken = "/dev/token";

    /// <summary>Largest value of the <c>limit</c> query parameter of <see cref="Envelopes"/> (default 100).</summary>
    public const int MaxEnvelopePageSize = 500;

    /// <summary>The <see cref="Review"/> route for a review.</summary>
    public static string ReviewOf(Guid reviewId) => $"/api/reviews/{reviewId}";

    /// <summary>The <see cref="ReviewDevices"/> route for a review.</summary>
    public static string ReviewDevicesOf(Guid reviewId) => $"/api/reviews/{reviewId}/devices";

    /// <summary>The <see cref="Epochs"/> route for a channel.</summary>
    public static string EpochsOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/epochs";

    /// <summary>The <see cref="Envelopes"/> route for a channel.</summary>
    public static string EnvelopesOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/envelopes";
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

    /// <summary>No valid bearer token: missing, expired, from another issuer or audience, or badly signed (HTTP 401).</summary>
    public const string Unauthorized = Prefix + "unauthorized";

    /// <summary>The certifier already stored a different trust statement with this sequence number, or the next number is another (HTTP 409).</summary>
    public const string StatementConflict = Prefix + "statement-conflict";

    /// <summary>The request body is larger than this endpoint accepts (HTTP 413).</summary>
    public const string TooLarge = Prefix + "too-large";

    /// <summary>
    /// The short, stable code of a type: the part after <see cref="Prefix"/> (e.g. <c>stale-epoch</c>). Hub methods fail
    /// with a <c>HubException</c> whose message is exactly this code.
    /// </summary>
    public static string CodeOf(string type) =>
        type.StartsWith(Prefix, StringComparison.Ordinal) ? type[Prefix.Length..] : type;

    /// <summary>The type whose code is <paramref name="code"/> (the inverse of <see cref="CodeOf"/>).</summary>
    public static string FromCode(string code) => Prefix + code;
}

/// <summary>The signed-in account.</summary>
public sealed record MeResponse(Guid AccountId, string Issuer, string Subject, string DisplayName, bool IsSecretariat, IReadOnlyList<DeviceEntry> Devices);

/// <summary>Registers this device's self-signed card (130 bytes, docs/protocol.md "Device card").</summary>
public sealed record RegisterDevice(byte[] Card);

/// <summary>A registered device.</summary>
/// <param name="DeviceId">32 lower-case hex digits (docs/protocol.md "Device id").</param>
/// <param name="AccountId">The account the device belongs to (for ever).</param>
/// <param name="DisplayName">The account's display name.</param>
/// <param name="StateCode">The account's State in the review; empty outside a review (<see cref="MeResponse"/>) and for the secretariat.</param>
/// <param name="Card">The self-signed device card.</param>
/// <param name="RegisteredAt">Server clock at registration.</param>
public sealed record DeviceEntry(string DeviceId, Guid AccountId, string DisplayName, string StateCode, byte[] Card, DateTimeOffset RegisteredAt);

/// <summary>A State's part in a review.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StateRole>))]
public enum StateRole
{
    /// <summary>The State party under review.</summary>
    UnderReview = 1,

    /// <summary>A reviewing State.</summary>
    Reviewing = 2,
}

/// <summary>A person's role in a review.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberRole>))]
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

/// <summary>
/// A member to add when the secretariat creates a review: an account by its subject at the server's issuer (the
/// account is created if it does not exist yet and binds when that person first signs in).
/// </summary>
/// <param name="Subject">The identity provider's subject (<c>sub</c>); in the embedded profile, the development user name.</param>
/// <param name="DisplayName">How the person is shown.</param>
/// <param name="StateCode">One of the review's States; null for <see cref="MemberRole.Secretariat"/>.</param>
/// <param name="Role">The person's role in the review.</param>
public sealed record NewMember(string Subject, string DisplayName, string? StateCode, MemberRole Role);

/// <summary>
/// Creates a review (secretariat only). States are ISO 3166-1 alpha-3 codes (upper case); languages are working
/// language tags (<c>en</c>, <c>fr</c>, ...). The creator is added as a secretariat member when not listed.
/// </summary>
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

/// <summary>Development sign-in request (embedded profile only).</summary>
/// <param name="User">The user name, which becomes the token's subject: 1-64 of <c>A-Z a-z 0-9 . _ @ -</c>.</param>
/// <param name="Secretariat">Whether the token carries the secretariat role.</param>
public sealed record DevTokenRequest(string User, bool Secretariat = false);

/// <summary>A development access token (a JWT from the issuer <c>&lt;server&gt;/dev</c>, audience <c>securedialogue</c>).</summary>
/// <param name="AccessToken">The bearer token.</param>
/// <param name="ExpiresIn">Seconds until it expires.</param>
public sealed record DevTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
