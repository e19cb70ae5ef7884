namespace SecureDialogue.Contracts;

/// <summary>
/// The dialogue hub (SignalR, JSON protocol) at <see cref="Path"/>. The hub is a doorbell: clients send
/// envelopes through it and are told a channel has new items; they fetch items over HTTP by sequence.
/// A refused call fails with a <c>HubException</c> thrown with the code of a <see cref="ProblemTypes"/> type
/// (<see cref="ProblemTypes.CodeOf"/>, e.g. <c>stale-epoch</c>), the same check and outcome as the HTTP API. SignalR
/// prefixes that message on its way to the client; <see cref="ErrorCodeOf"/> recovers the code.
/// </summary>
public static class DialogueHubContract
{
    /// <summary>Hub path. Browsers pass the bearer token as the <c>access_token</c> query parameter.</summary>
    public const string Path = "/hubs/dialogue";

    /// <summary>Client-to-server: <c>JoinReview(Guid reviewId) → JoinedReview</c>.</summary>
    public const string JoinReview = nameof(JoinReview);

    /// <summary>Client-to-server: <c>Send(SendEnvelope request) → SendAck</c>.</summary>
    public const string Send = nameof(Send);

    /// <summary>Server-to-client: <c>EnvelopeStored(EnvelopeNotice)</c>.</summary>
    public const string EnvelopeStored = nameof(EnvelopeStored);

    /// <summary>Server-to-client: <c>EpochAdded(EpochNotice)</c>.</summary>
    public const string EpochAdded = nameof(EpochAdded);

    /// <summary>Server-to-client: <c>TrustChanged(TrustNotice)</c>, to every connection joined to the review.</summary>
    public const string TrustChanged = nameof(TrustChanged);

    /// <summary>
    /// Largest hub message the server accepts, in bytes: a <see cref="SendEnvelope"/> carrying the largest envelope
    /// (1 MiB padded body plus 1 KiB, base64 in JSON) with room for the other fields.
    /// </summary>
    public const int MaxMessageSize = (((1024 * 1024) + 1024 + 2) / 3 * 4) + 4096;

    /// <summary>
    /// The problem code in a hub error message as a client receives it. SignalR sends a server's
    /// <c>HubException("stale-epoch")</c> as <c>"An unexpected error occurred invoking 'Send' on the server.
    /// HubException: stale-epoch"</c>; this returns <c>stale-epoch</c> (and a bare code unchanged).
    /// </summary>
    /// <param name="message">The client-side <c>HubException.Message</c>.</param>
    public static string ErrorCodeOf(string message)
    {
        const string marker = "HubException: ";
        var index = message.LastIndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? message : message[(index + marker.Length)..];
    }
}

/// <summary>Methods the server calls on connected clients.</summary>
public interface IDialogueClient
{
    /// <summary>A channel the client reads has a new item at <see cref="EnvelopeNotice.Sequence"/>.</summary>
    Task EnvelopeStored(EnvelopeNotice notice);

    /// <summary>A channel the client reads has a new epoch record.</summary>
    Task EpochAdded(EpochNotice notice);

    /// <summary>
    /// The review's trust changed (a focal point registration, a certificate or revocation, a disclosure policy): refetch
    /// the members, statements and policy, and rotate epochs if the readers changed.
    /// </summary>
    Task TrustChanged(TrustNotice notice);
}

/// <summary>Doorbell for a stored envelope.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sequence">The sequence the server assigned (1, 2, ... per channel).</param>
public sealed record EnvelopeNotice(Guid ReviewId, string Channel, long Sequence);

/// <summary>Doorbell for a new epoch record.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Epoch">The new epoch number.</param>
public sealed record EpochNotice(Guid ReviewId, string Channel, uint Epoch);

/// <summary>Doorbell for a change of a review's trust. It carries no detail: clients fetch and verify.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Kind">What was stored: <see cref="TrustNoticeKinds"/>.</param>
public sealed record TrustNotice(Guid ReviewId, string Kind);

/// <summary>Values of <see cref="TrustNotice.Kind"/>.</summary>
public static class TrustNoticeKinds
{
    /// <summary>The secretariat registered (or replaced) a State's focal point.</summary>
    public const string FocalPoint = "focal-point";

    /// <summary>A focal point's certificate or revocation (root statements included).</summary>
    public const string Statement = "trust-statement";

    /// <summary>A new disclosure policy statement.</summary>
    public const string Policy = "policy";
}

/// <summary>The channels a member was joined to.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Channels">Channels the member reads (and was added to the groups of).</param>
public sealed record JoinedReview(Guid ReviewId, IReadOnlyList<string> Channels);

/// <summary>An envelope to store. <paramref name="Envelope"/> is the canonical envelope encoding (base64 in JSON).</summary>
/// <param name="ReviewId">The review (must equal the envelope header's).</param>
/// <param name="Channel">The channel (must equal the envelope header's).</param>
/// <param name="Envelope">The envelope bytes.</param>
public sealed record SendEnvelope(Guid ReviewId, string Channel, byte[] Envelope);

/// <summary>The server's acknowledgement: the item is durably stored at <paramref name="Sequence"/>.</summary>
/// <param name="Sequence">The channel sequence.</param>
/// <param name="Duplicate">True when this client message id was already stored; the original sequence is returned.</param>
public sealed record SendAck(long Sequence, bool Duplicate);
