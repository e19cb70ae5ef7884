namespace SecureDialogue.Contracts;

/// <summary>
/// Routes of the States' trust in a review (issue 6): focal point registration by the secretariat, device
/// certificates and revocations by focal points, and the member listing clients verify them from.
/// </summary>
public static class TrustRoutes
{
    /// <summary>
    /// <c>GET</c> → <see cref="ReviewMembersResponse"/>: members, their devices, focal point nominations and every trust
    /// statement (any member of the review, the secretariat included).
    /// </summary>
    public const string Members = "/api/reviews/{reviewId:guid}/members";

    /// <summary><c>POST</c> <see cref="SetFocalPoint"/> → <see cref="FocalPointEntry"/>: registers a State's focal point (secretariat assigned to the review).</summary>
    public const string FocalPoints = "/api/reviews/{reviewId:guid}/focal-points";

    /// <summary>
    /// <c>POST</c> <see cref="SubmitTrustStatement"/> → <see cref="TrustStatementEntry"/>: stores a certificate or revocation signed
    /// by the State's registered focal point (docs/protocol.md, "Device certificates").
    /// </summary>
    public const string Statements = "/api/reviews/{reviewId:guid}/trust-statements";

    /// <summary>
    /// <c>GET</c> → <see cref="DeviceEntry"/>: a registered device's public card and account (any signed-in caller), so that a
    /// focal point can certify a person not yet in the review from the device id the person gave it.
    /// </summary>
    public const string Device = "/api/devices/{deviceId}";

    /// <summary>The <see cref="Device"/> route.</summary>
    public static string DeviceOf(string deviceId) => $"/api/devices/{Uri.EscapeDataString(deviceId)}";

    /// <summary>The <see cref="Members"/> route for a review.</summary>
    public static string MembersOf(Guid reviewId) => $"/api/reviews/{reviewId}/members";

    /// <summary>The <see cref="FocalPoints"/> route for a review.</summary>
    public static string FocalPointsOf(Guid reviewId) => $"/api/reviews/{reviewId}/focal-points";

    /// <summary>The <see cref="Statements"/> route for a review.</summary>
    public static string StatementsOf(Guid reviewId) => $"/api/reviews/{reviewId}/trust-statements";
}

/// <summary>
/// Registers the focal point of a State for a review (secretariat). The account is created when it does not exist
/// yet, as for <see cref="CreateReview"/> members. A previous focal point of that State is replaced: its nomination
/// ends and it leaves the review; its certificates stay valid for clients until the new focal point revokes them.
/// </summary>
/// <param name="StateCode">One of the review's States.</param>
/// <param name="Subject">The focal point's subject at the server's issuer.</param>
/// <param name="DisplayName">How the person is shown.</param>
/// <param name="Nomination">The nomination reference, e.g. the note verbale number: 1-128 printable ASCII characters.</param>
public sealed record SetFocalPoint(string StateCode, string Subject, string DisplayName, string Nomination);

/// <summary>A focal point nomination as recorded.</summary>
/// <param name="StateCode">The State.</param>
/// <param name="AccountId">The focal point's account.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Nomination">The nomination reference.</param>
/// <param name="RegisteredBy">The secretariat account that registered it.</param>
/// <param name="RegisteredAt">Server clock.</param>
/// <param name="EndedAt">When a later nomination replaced it; null for the current focal point.</param>
public sealed record FocalPointEntry(string StateCode, Guid AccountId, string DisplayName, string Nomination, Guid RegisteredBy, DateTimeOffset RegisteredAt, DateTimeOffset? EndedAt);

/// <summary>A signed trust statement (docs/protocol.md, "Device certificates"), base64 in JSON.</summary>
public sealed record SubmitTrustStatement(byte[] Statement);

/// <summary>A stored trust statement.</summary>
/// <param name="Position">1, 2, 3... in the order the server stored the review's statements.</param>
/// <param name="Statement">The statement exactly as signed.</param>
/// <param name="StoredAt">Server clock.</param>
public sealed record TrustStatementEntry(long Position, byte[] Statement, DateTimeOffset StoredAt)
{
    /// <summary>
    /// Its index in the review's archive log: the entry is (review, this index, kind MembershipChange, <see cref="StoredAt"/>
    /// in milliseconds, inline <see cref="Statement"/>), which clients verify by inclusion (docs/protocol.md 16.7). Null
    /// when unknown (statements stored before the archive existed).
    /// </summary>
    public long? ArchiveIndex { get; init; }
}

/// <summary>A review member with its registered devices (as the server lists them: clients verify certificates).</summary>
public sealed record MemberDevices(Guid AccountId, string DisplayName, string? StateCode, MemberRole Role, IReadOnlyList<DeviceEntry> Devices);

/// <summary>A review's members, focal point nominations and trust statements.</summary>
public sealed record ReviewMembersResponse(IReadOnlyList<MemberDevices> Members, IReadOnlyList<FocalPointEntry> FocalPoints, IReadOnlyList<TrustStatementEntry> Statements);
