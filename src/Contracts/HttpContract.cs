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

    /// <summary><c>GET</c> → <see cref="ArchiveKeys"/>: the log keys that sign review checkpoints (docs/protocol.md 16.6).</summary>
    public const string ArchiveKeys = "/api/archive/keys";

    /// <summary><c>GET [?size=N]</c> → <see cref="ArchiveCheckpoint"/>: the latest checkpoint, or the one of the smallest tree of at least N entries.</summary>
    public const string ArchiveCheckpoint = "/api/reviews/{reviewId:guid}/archive/checkpoint";

    /// <summary><c>GET ?start=I&amp;limit=N</c> → <see cref="ArchiveEntryPage"/>.</summary>
    public const string ArchiveEntries = "/api/reviews/{reviewId:guid}/archive/entries";

    /// <summary><c>GET ?size=N&amp;index=I[&amp;index=J...]</c> → <see cref="ArchiveInclusionProofs"/> (at most <see cref="MaxArchiveProofsPerRequest"/> indexes).</summary>
    public const string ArchiveInclusion = "/api/reviews/{reviewId:guid}/archive/proofs/inclusion";

    /// <summary><c>GET ?size=N&amp;start=A&amp;end=B</c> → <see cref="ArchiveRangeProof"/> (at most <see cref="MaxArchiveRangeProofLeaves"/> entries).</summary>
    public const string ArchiveRange = "/api/reviews/{reviewId:guid}/archive/proofs/range";

    /// <summary><c>GET ?from=M&amp;to=N</c> → <see cref="ArchiveConsistencyProof"/>.</summary>
    public const string ArchiveConsistency = "/api/reviews/{reviewId:guid}/archive/proofs/consistency";

    /// <summary><c>POST</c> <see cref="CosignCheckpoint"/> → <see cref="CosignatureAccepted"/>: a member device's cosignature, archived as an entry.</summary>
    public const string ArchiveCosignatures = "/api/reviews/{reviewId:guid}/archive/cosignatures";

    /// <summary><c>POST</c> <see cref="SealArchive"/> → <see cref="SealedBundleInfo"/>: seal the review's archive now (the review's secretariat).</summary>
    public const string ArchiveSeal = "/api/reviews/{reviewId:guid}/archive/seal";

    /// <summary><c>GET</c> → <see cref="SealedBundleList"/>: the review's sealed bundles (members and assigned secretariat).</summary>
    public const string ArchiveBundles = "/api/reviews/{reviewId:guid}/archive/bundles";

    /// <summary><c>GET</c> → the bundle file (<c>application/vnd.securedialogue.bundle</c>) of one sealed bundle by name (members and assigned secretariat).</summary>
    public const string ArchiveBundle = "/api/reviews/{reviewId:guid}/archive/bundles/{name}";

    /// <summary>
    /// <c>POST</c> <see cref="BeginUpload"/> → <see cref="UploadStatus"/> (201): starts a resumable upload of an attachment
    /// ciphertext into the channel (members who may post). Above the server's size limit: 413 <see cref="ProblemTypes.TooLarge"/>.
    /// </summary>
    public const string Uploads = "/api/reviews/{reviewId:guid}/channels/{channel}/uploads";

    /// <summary><c>GET</c> → <see cref="UploadStatus"/> (the acknowledged parts, to resume); <c>DELETE</c> aborts it (204). Only its uploader sees it.</summary>
    public const string Upload = "/api/reviews/{reviewId:guid}/channels/{channel}/uploads/{uploadId}";

    /// <summary>
    /// <c>PUT</c> the part's exact bytes (<c>application/octet-stream</c>) → <see cref="UploadedPart"/>: acknowledged only once
    /// stored durably. Part n is bytes <c>[(n-1)*PartSize, min(n*PartSize, Length))</c>; sending a part again replaces it.
    /// </summary>
    public const string UploadPart = "/api/reviews/{reviewId:guid}/channels/{channel}/uploads/{uploadId}/parts/{partNumber:int}";

    /// <summary>
    /// <c>POST</c> <see cref="CompleteUpload"/> → <see cref="BlobEntry"/>: the server recomputes the ciphertext hash over all
    /// parts and commits the blob under it only if it matches (else 422 <see cref="ProblemTypes.HashMismatch"/>). Repeatable.
    /// </summary>
    public const string UploadCompletion = "/api/reviews/{reviewId:guid}/channels/{channel}/uploads/{uploadId}/complete";

    /// <summary>
    /// <c>GET</c> → the blob's bytes (<c>application/octet-stream</c>), with <c>Range: bytes=N-</c> / <c>bytes=N-M</c> (206) for
    /// resumed downloads. Readers of the channel only, and only blobs uploaded into this channel.
    /// </summary>
    public const string Blob = "/api/reviews/{reviewId:guid}/channels/{channel}/blobs/{blobId}";

    /// <summary>
    /// <c>POST</c> <see cref="DevTokenRequest"/> → <see cref="DevTokenResponse"/>: development sign-in, served only by the
    /// embedded profile (404 otherwise). Anyone who can reach the server can sign in as anyone: keep it on loopback.
    /// </summary>
    public const string DevToken = "/dev/token";

    /// <summary>Largest value of the <c>limit</c> query parameter of <see cref="Envelopes"/> (default 100).</summary>
    public const int MaxEnvelopePageSize = 500;

    /// <summary>Largest <c>limit</c> of <see cref="ArchiveEntries"/> (default 100).</summary>
    public const int MaxArchiveEntryPageSize = 500;

    /// <summary>Most indexes in one <see cref="ArchiveInclusion"/> request.</summary>
    public const int MaxArchiveProofsPerRequest = 100;

    /// <summary>Most entries one <see cref="ArchiveRange"/> proof covers (a page of envelopes).</summary>
    public const int MaxArchiveRangeProofLeaves = 500;

    /// <summary>The archive route <paramref name="template"/> (one of the <c>Archive*</c> review routes) for a review.</summary>
    public static string ArchiveOf(string template, Guid reviewId) => template.Replace("{reviewId:guid}", reviewId.ToString(), StringComparison.Ordinal);

    /// <summary>The <see cref="Review"/> route for a review.</summary>
    public static string ReviewOf(Guid reviewId) => $"/api/reviews/{reviewId}";

    /// <summary>The <see cref="ReviewDevices"/> route for a review.</summary>
    public static string ReviewDevicesOf(Guid reviewId) => $"/api/reviews/{reviewId}/devices";

    /// <summary>The <see cref="Epochs"/> route for a channel.</summary>
    public static string EpochsOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/epochs";

    /// <summary>The <see cref="Envelopes"/> route for a channel.</summary>
    public static string EnvelopesOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/envelopes";

    /// <summary>The <see cref="Uploads"/> route for a channel.</summary>
    public static string UploadsOf(Guid reviewId, string channel) => $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/uploads";

    /// <summary>The <see cref="Upload"/> route of an upload.</summary>
    public static string UploadOf(Guid reviewId, string channel, string uploadId) => $"{UploadsOf(reviewId, channel)}/{Uri.EscapeDataString(uploadId)}";

    /// <summary>The <see cref="UploadPart"/> route of a part.</summary>
    public static string UploadPartOf(Guid reviewId, string channel, string uploadId, int partNumber) =>
        $"{UploadOf(reviewId, channel, uploadId)}/parts/{partNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The <see cref="UploadCompletion"/> route of an upload.</summary>
    public static string UploadCompletionOf(Guid reviewId, string channel, string uploadId) => $"{UploadOf(reviewId, channel, uploadId)}/complete";

    /// <summary>The <see cref="Blob"/> route of a blob.</summary>
    public static string BlobOf(Guid reviewId, string channel, string blobId) =>
        $"/api/reviews/{reviewId}/channels/{Uri.EscapeDataString(channel)}/blobs/{Uri.EscapeDataString(blobId)}";
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

    /// <summary>A checkpoint or cosignature that does not verify, or is not one this log signed (HTTP 422).</summary>
    public const string InvalidCheckpoint = Prefix + "invalid-checkpoint";

    /// <summary>The certifier already stored a different trust statement with this sequence number, or the next number is another (HTTP 409).</summary>
    public const string StatementConflict = Prefix + "statement-conflict";

    /// <summary>The request body is larger than this endpoint accepts (HTTP 413).</summary>
    public const string TooLarge = Prefix + "too-large";

    /// <summary>The uploaded bytes do not hash to the declared ciphertext hash: nothing was committed and the upload is discarded (HTTP 422).</summary>
    public const string HashMismatch = Prefix + "hash-mismatch";

    /// <summary>Completing an upload whose parts are not all acknowledged (HTTP 409).</summary>
    public const string IncompleteUpload = Prefix + "incomplete-upload";

    /// <summary>A <c>Range</c> outside the blob (HTTP 416).</summary>
    public const string InvalidRange = Prefix + "invalid-range";

    /// <summary>The archive could not be sealed (inconsistent log data or a refusing sealed store); nothing was stored (HTTP 503).</summary>
    public const string SealingFailed = Prefix + "sealing-failed";

    /// <summary>A publication record that does not decode, does not verify, or does not match this server's log and review (HTTP 422; <c>errors</c> lists the failed checks).</summary>
    public const string InvalidPublication = Prefix + "invalid-publication";

    /// <summary>An amendment names an envelope its author device did not send (HTTP 403; docs/protocol.md 21.1).</summary>
    public const string NotAuthor = Prefix + "not-author";

    /// <summary>The amended item is retracted already: it is neither retracted again nor corrected (HTTP 409).</summary>
    public const string AlreadyRetracted = Prefix + "already-retracted";

    /// <summary>A correction's replacement is already the replacement of another statement (HTTP 409).</summary>
    public const string AmendmentConflict = Prefix + "amendment-conflict";

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
public sealed record ReviewSummary(Guid ReviewId, string Title, string ReviewedState, IReadOnlyList<string> ReviewingStates, DateTimeOffset CreatedAt)
{
    /// <summary>Stage code (<see cref="MechanismRoutes.Stage"/>); <c>not-started</c> when the server does not report it.</summary>
    public string Stage { get; init; } = "not-started";

    /// <summary>Group 1 to 3, or null.</summary>
    public int? Group { get; init; }

    /// <summary>The stage's deadline from the time frames, or null.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>Whether the deadline has passed.</summary>
    public bool Overdue { get; init; }
}

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

    /// <summary>Its index in the review's archive log (kind EpochRecord, <see cref="StoredAt"/> in milliseconds); null when unknown.</summary>
    public long? ArchiveIndex { get; init; }
}

/// <summary>A stored envelope.</summary>
public sealed record StoredEnvelope(long Sequence, byte[] Envelope, DateTimeOffset StoredAt)
{
    /// <summary>
    /// Its index in the review's archive log: the entry is (review, this index, kind Envelope, <see cref="StoredAt"/>
    /// in milliseconds, inline <see cref="Envelope"/>), which clients verify by inclusion. Null for items stored before
    /// the archive existed and not yet backfilled.
    /// </summary>
    public long? ArchiveIndex { get; init; }

    /// <summary>
    /// The payload of its archive entry (docs/protocol.md 16.2.1): 0 (or absent) the whole <see cref="Envelope"/>, 1 its
    /// envelope summary (section 7.12), as in logs created since the server records envelopes by their summary.
    /// </summary>
    public int ArchiveForm { get; init; }
}

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

/// <summary>Starts an upload of an attachment ciphertext (docs/protocol.md 15): its exact length, the only size the server learns.</summary>
/// <param name="Length">The ciphertext length in bytes (<c>24 + P + 17 * chunks</c> for a padded plaintext of P bytes).</param>
public sealed record BeginUpload(long Length);

/// <summary>An upload in progress.</summary>
/// <param name="UploadId">32 lower-case hex digits.</param>
/// <param name="Length">The declared ciphertext length.</param>
/// <param name="PartSize">Bytes per part (the last part is shorter).</param>
/// <param name="PartCount">Number of parts: <c>ceil(Length / PartSize)</c>.</param>
/// <param name="AcknowledgedParts">The parts the server holds durably, in increasing order.</param>
/// <param name="ExpiresAt">When the server discards the upload if it is not completed.</param>
/// <param name="MaxBlobSize">The server's size limit.</param>
public sealed record UploadStatus(string UploadId, long Length, int PartSize, int PartCount, IReadOnlyList<int> AcknowledgedParts, DateTimeOffset ExpiresAt, long MaxBlobSize);

/// <summary>A part the server stored durably.</summary>
public sealed record UploadedPart(int Number, long Length);

/// <summary>Completes an upload with the ciphertext hash (BLAKE2b-256, personalisation <c>sdlg.att.hash</c>; 32 bytes, base64).</summary>
public sealed record CompleteUpload(byte[] CiphertextHash);

/// <summary>A committed blob of a channel.</summary>
/// <param name="BlobId">The ciphertext hash as 64 lower-case hex digits.</param>
/// <param name="Length">The ciphertext length.</param>
public sealed record BlobEntry(string BlobId, long Length);
