namespace SecureDialogue.Contracts;

/// <summary>
/// HTTP routes of voluntary publication (P&amp;R 38, 40, 41; docs/server.md "Publications"). A publication is a
/// publication record (docs/protocol.md 18) that the reviewed State's focal point built on its device; its id is the
/// record's SHA-256 in lower-case hex.
/// </summary>
public static class PublicationRoutes
{
    /// <summary>The media type of a publication record (body of <see cref="Publications"/> POST and of the downloads).</summary>
    public const string MediaType = "application/vnd.securedialogue.publication";

    /// <summary>
    /// <c>POST</c> the record's bytes (<see cref="MediaType"/>; focal point of the State under review) → 201
    /// <see cref="PublicationEntry"/>, or 200 with the stored one when the same record was posted before;
    /// <c>GET</c> (members and assigned secretariat) → <see cref="PublicationList"/> of the review, withdrawn ones included.
    /// </summary>
    public const string Publications = "/api/reviews/{reviewId:guid}/publications";

    /// <summary><c>POST</c> (the focal point of the State under review) → <see cref="PublicationEntry"/>: marks the publication withdrawn.</summary>
    public const string Withdraw = "/api/reviews/{reviewId:guid}/publications/{publicationId}/withdraw";

    /// <summary><c>GET</c> → <see cref="PublicationEntry"/>: public ones to anyone, States-parties ones to members of a State.</summary>
    public const string Publication = "/api/publications/{publicationId}";

    /// <summary><c>GET</c> → the record's bytes (<see cref="MediaType"/>), under the same rule as <see cref="Publication"/>.</summary>
    public const string Record = "/api/publications/{publicationId}/record";

    /// <summary>The <see cref="Publications"/> route of a review.</summary>
    public static string PublicationsOf(Guid reviewId) => $"/api/reviews/{reviewId}/publications";

    /// <summary>The <see cref="Withdraw"/> route of a publication.</summary>
    public static string WithdrawOf(Guid reviewId, string publicationId) => $"/api/reviews/{reviewId}/publications/{Uri.EscapeDataString(publicationId)}/withdraw";

    /// <summary>The <see cref="Publication"/> route.</summary>
    public static string PublicationOf(string publicationId) => $"/api/publications/{Uri.EscapeDataString(publicationId)}";

    /// <summary>The <see cref="Record"/> route.</summary>
    public static string RecordOf(string publicationId) => $"/api/publications/{Uri.EscapeDataString(publicationId)}/record";

    /// <summary>The portal page of a publication (server-rendered).</summary>
    public static string PageOf(string publicationId) => $"/publications/{Uri.EscapeDataString(publicationId)}";

    /// <summary>The portal's download of a publication's record (<c>.sdpub</c>).</summary>
    public static string PortalRecordOf(string publicationId) => $"/publications/{Uri.EscapeDataString(publicationId)}/record.sdpub";
}

/// <summary>A stored publication as the server verified it.</summary>
/// <param name="PublicationId">The record's SHA-256, lower-case hex.</param>
/// <param name="ReviewId">The review.</param>
/// <param name="Audience"><c>states</c> (all States parties, P&amp;R 40) or <c>public</c> (P&amp;R 41).</param>
/// <param name="Channel">The item's channel.</param>
/// <param name="ItemSequence">The item's sequence in its channel.</param>
/// <param name="ItemKind">The item's kind, kebab-case (e.g. <c>questionnaire-response</c>).</param>
/// <param name="Language">The item's language tag.</param>
/// <param name="AuthorState">The author's State (ISO 3166-1 alpha-3).</param>
/// <param name="PublisherState">The publishing State (the State under review).</param>
/// <param name="Segments">The item's segment count.</param>
/// <param name="Disclosed">Indexes of the disclosed segments; the others are withheld.</param>
/// <param name="PublishedAt">The publisher's signed time.</param>
/// <param name="StoredAt">When the server stored it.</param>
/// <param name="VisibleFrom">When the portal shows it (after the objection window, if one is configured).</param>
/// <param name="EntryIndex">The <c>Publication</c> entry in the review's archive log.</param>
/// <param name="ItemEntryIndex">The item's <c>Envelope</c> entry in the review's archive log.</param>
/// <param name="WithdrawnAt">When it was withdrawn, or null.</param>
/// <param name="WithdrawalEntryIndex">The <c>Retraction</c> entry of the withdrawal, or null.</param>
/// <param name="PageUrl">The portal page, relative to the server.</param>
/// <param name="RecordUrl">The record's download on the portal, relative to the server.</param>
public sealed record PublicationEntry(
    string PublicationId,
    Guid ReviewId,
    string Audience,
    string Channel,
    long ItemSequence,
    string ItemKind,
    string Language,
    string AuthorState,
    string PublisherState,
    int Segments,
    IReadOnlyList<int> Disclosed,
    DateTimeOffset PublishedAt,
    DateTimeOffset StoredAt,
    DateTimeOffset VisibleFrom,
    long EntryIndex,
    long ItemEntryIndex,
    DateTimeOffset? WithdrawnAt,
    long? WithdrawalEntryIndex,
    string PageUrl,
    string RecordUrl);

/// <summary>A review's publications, oldest first.</summary>
public sealed record PublicationList(IReadOnlyList<PublicationEntry> Publications);
