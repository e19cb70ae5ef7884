using System.Text.Json.Serialization;

namespace SecureDialogue.Contracts;

/// <summary>
/// HTTP routes of the review mechanism: the States-parties registry, drawing-of-lots import, stages, disclosure
/// policies, the secretariat's activity view and status report. JSON bodies unless a route says otherwise.
/// </summary>
public static class MechanismRoutes
{
    /// <summary><c>GET</c> → <see cref="StatePartyEntry"/>[] (signed in); <c>POST text/csv</c> (secretariat) → <see cref="StatesImportResult"/>.</summary>
    public const string States = "/api/states";

    /// <summary><c>POST text/csv</c> (secretariat): a drawing-of-lots file → <see cref="LotsImportResult"/> (201 when imported, 400 with every problem).</summary>
    public const string Lots = "/api/lots";

    /// <summary><c>GET</c> → <see cref="StageInfo"/> (members and assigned secretariat); <c>POST</c> <see cref="AdvanceStage"/> (assigned secretariat) → <see cref="StageInfo"/>.</summary>
    public const string Stage = "/api/reviews/{reviewId:guid}/stage";

    /// <summary><c>GET</c> → <see cref="PolicyInfo"/> (members and assigned secretariat); <c>POST</c> <see cref="SetPolicy"/> (focal point of the State under review) → <see cref="PolicyInfo"/>.</summary>
    public const string Policy = "/api/reviews/{reviewId:guid}/policy";

    /// <summary><c>GET</c> → <see cref="ActivityView"/> (assigned secretariat): envelope metadata at the level the policy permits.</summary>
    public const string Activity = "/api/reviews/{reviewId:guid}/activity";

    /// <summary><c>GET</c> (secretariat) → <see cref="StatusReportView"/>; <c>?format=csv</c> → <c>text/csv</c>.</summary>
    public const string StatusReport = "/api/status-report";

    /// <summary>The <see cref="Stage"/> route of a review.</summary>
    public static string StageOf(Guid reviewId) => $"/api/reviews/{reviewId}/stage";

    /// <summary>The <see cref="Policy"/> route of a review.</summary>
    public static string PolicyOf(Guid reviewId) => $"/api/reviews/{reviewId}/policy";

    /// <summary>The <see cref="Activity"/> route of a review.</summary>
    public static string ActivityOf(Guid reviewId) => $"/api/reviews/{reviewId}/activity";
}

/// <summary>A State party in the registry.</summary>
/// <param name="Code">ISO 3166-1 alpha-3.</param>
/// <param name="Name">Name as the registry holds it.</param>
/// <param name="RegionalGroup"><c>AFRICAN</c>, <c>APG</c>, <c>EEG</c>, <c>GRULAC</c> or <c>WEOG</c>.</param>
/// <param name="Instruments">Instrument codes (<c>UNTOC</c>, <c>TIP</c>, <c>SOM</c>, <c>FIREARMS</c>).</param>
public sealed record StatePartyEntry(string Code, string Name, string RegionalGroup, IReadOnlyList<string> Instruments);

/// <summary>The outcome of a States-parties CSV import: how many were added or updated, or every problem (nothing imported).</summary>
public sealed record StatesImportResult(int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>One problem of an imported file.</summary>
/// <param name="Line">Line of the file (1 is the header; 0 the whole file).</param>
/// <param name="Column">The column concerned, or empty.</param>
/// <param name="Code">Stable code of the problem (e.g. <c>mutual-review</c>).</param>
/// <param name="Message">The problem in the requested language (Accept-Language).</param>
public sealed record ImportProblem(int Line, string Column, string Code, string Message);

/// <summary>The outcome of a drawing-of-lots import: the reviews created, or every problem (nothing imported).</summary>
public sealed record LotsImportResult(IReadOnlyList<Guid> Created, IReadOnlyList<ImportProblem> Problems);

/// <summary>Where a review stands.</summary>
/// <param name="Stage">Stage code (<c>not-started</c>, <c>preliminary-consultation</c>, ...).</param>
/// <param name="StartDate">The review's start date, or null.</param>
/// <param name="StageEnteredOn">When it entered the stage, or null.</param>
/// <param name="DaysInStage">Days since it entered the stage.</param>
/// <param name="Deadline">The stage's deadline from the time frames, or null.</param>
/// <param name="Overdue">Whether the deadline has passed.</param>
/// <param name="History">Every stage change, oldest first.</param>
public sealed record StageInfo(string Stage, DateOnly? StartDate, DateOnly? StageEnteredOn, int DaysInStage, DateOnly? Deadline, bool Overdue, IReadOnlyList<StageChange> History);

/// <summary>A recorded stage change: who moved the review from one stage to the next, and when.</summary>
public sealed record StageChange(int Sequence, string From, string To, Guid AccountId, string DisplayName, DateTimeOffset At);

/// <summary>Moves a review to <paramref name="To"/>, which must be the next stage (a guard against a double submission).</summary>
public sealed record AdvanceStage(string To);

/// <summary>A review's disclosure policy and every signed statement (oldest first), so clients can verify them.</summary>
/// <param name="Version">0 for the default (no statement), else the latest statement's version.</param>
/// <param name="Metadata"><c>per-person</c>, <c>per-state</c> or <c>counts-only</c>.</param>
/// <param name="ContentChannels">Channels whose content keys the secretariat receives.</param>
/// <param name="Statements">The signed statements (docs/protocol.md section 19).</param>
public sealed record PolicyInfo(uint Version, string Metadata, IReadOnlyList<string> ContentChannels, IReadOnlyList<PolicyStatementEntry> Statements);

/// <summary>A stored statement and who signed it.</summary>
public sealed record PolicyStatementEntry(uint Version, byte[] Statement, string SignerDevice, Guid SignerAccount, DateTimeOffset StoredAt)
{
    /// <summary>
    /// Its index in the review's archive log: the entry is (review, this index, kind PolicyChange, <see cref="StoredAt"/>
    /// in milliseconds, inline <see cref="Statement"/>), which clients verify by inclusion (docs/protocol.md 16.7). Null
    /// when unknown.
    /// </summary>
    public long? ArchiveIndex { get; init; }
}

/// <summary>A new disclosure policy statement signed by the focal point's device.</summary>
public sealed record SetPolicy(byte[] Statement);

/// <summary>The secretariat's view of a review's activity at the policy's metadata level.</summary>
/// <param name="Metadata">The level applied.</param>
/// <param name="Items">Per item (empty under <c>counts-only</c>), newest first, at most 500.</param>
/// <param name="Counts">Per channel and day, newest first.</param>
/// <param name="Events">The review's events besides its dialogue (stage changes, policy statements, focal point registrations, certifications, revocations, membership changes), oldest first, at most 500.</param>
public sealed record ActivityView(string Metadata, IReadOnlyList<ActivityItem> Items, IReadOnlyList<ActivityCount> Counts, IReadOnlyList<ActivityEvent> Events);

/// <summary>One review event as the secretariat may see it: what, when, which State, a short recorded detail; never content, never a person.</summary>
/// <param name="At">When the server stored it.</param>
/// <param name="Kind"><c>stage-changed</c>, <c>policy-set</c>, <c>focal-point-registered</c>, <c>focal-point-replaced</c>, <c>focal-point-root</c>, <c>device-certified</c>, <c>device-revoked</c>, <c>member-added</c> or <c>member-removed</c>.</param>
/// <param name="State">The State the event concerns; empty when none (stage changes) or when the policy shows counts only and a member, not the secretariat, made the change.</param>
/// <param name="Detail">What the server recorded: the stages moved between (<c>from &gt; to</c>), the policy's version and level, a role, a revocation reason, a nomination reference.</param>
public sealed record ActivityEvent(DateTimeOffset At, string Kind, string State, string Detail);

/// <summary>One accepted envelope as the secretariat may see it: never content.</summary>
/// <param name="At">When the server stored it.</param>
/// <param name="Channel">The channel.</param>
/// <param name="State">The sender's State (empty for the secretariat).</param>
/// <param name="Person">The sender's display name under <c>per-person</c>; null otherwise.</param>
/// <param name="SizeClass"><c>s</c> (up to 4 KiB), <c>m</c> (up to 64 KiB), <c>l</c> (larger).</param>
public sealed record ActivityItem(DateTimeOffset At, string Channel, string State, string? Person, string SizeClass);

/// <summary>How many envelopes a channel received on a day (UTC).</summary>
public sealed record ActivityCount(DateOnly Day, string Channel, int Envelopes);

/// <summary>The status report (Status 14-15, 21).</summary>
public sealed record StatusReportView(DateOnly AsOf, IReadOnlyList<StatusReportGroup> Groups);

/// <summary>One group's counts.</summary>
/// <param name="Group">1 to 3; 0 for reviews without a group.</param>
/// <param name="Reviews">Reviews of the group.</param>
/// <param name="ByStage">Reviews per stage code.</param>
/// <param name="NotStartedMissingFocalPointUnderReview">Not started: the State under review's focal point is missing.</param>
/// <param name="NotStartedMissingFocalPointReviewing">Not started: only reviewing States' focal points are missing.</param>
public sealed record StatusReportGroup(
    int Group,
    int Reviews,
    [property: JsonPropertyName("byStage")] IReadOnlyDictionary<string, int> ByStage,
    int NotStartedMissingFocalPointUnderReview,
    int NotStartedMissingFocalPointReviewing);
