using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>
/// An expected failure of a command or query: an RFC 9457 problem for HTTP, a <see cref="HubException"/> carrying the
/// type's code for the hub. <see cref="Detail"/> is written for the caller and never holds content, keys or tokens.
/// </summary>
/// <param name="Type">One of <see cref="ProblemTypes"/>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Title">A short summary, the same for every occurrence of the type.</param>
/// <param name="Detail">What was wrong with this request.</param>
/// <param name="Errors">Every problem found in the body, by field (validation), or null.</param>
internal sealed record ApiError(string Type, int Status, string Title, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>The stable code: the type without its prefix (e.g. <c>stale-epoch</c>).</summary>
    public string Code => ProblemTypes.CodeOf(Type);

    /// <summary>The HTTP problem.</summary>
    public ProblemHttpResult ToResult() => TypedResults.Problem(
        Detail, statusCode: Status, title: Title, type: Type,
        extensions: Errors is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = Errors });

    /// <summary>The hub error: only the code reaches the client.</summary>
    public HubException ToHubException() => new(Code);
}

/// <summary>The errors of every feature, one line each.</summary>
internal static class ApiErrors
{
    public static ApiError BadRequest(string detail) =>
        new(ProblemTypes.BadRequest, StatusCodes.Status400BadRequest, "The request is not valid.", detail);

    public static ApiError Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ProblemTypes.BadRequest, StatusCodes.Status400BadRequest, "The request is not valid.",
            $"{errors.Count} field(s) are not valid; see errors.", errors);

    public static ApiError MalformedEnvelope(string detail) =>
        new(ProblemTypes.MalformedEnvelope, StatusCodes.Status400BadRequest, "The envelope is malformed, too large, or of an unsupported version.", detail);

    public static ApiError InvalidSignature { get; } =
        new(ProblemTypes.InvalidSignature, StatusCodes.Status400BadRequest, "The envelope's signature does not verify with the sender's registered device card.");

    public static ApiError ReplayedCounter { get; } =
        new(ProblemTypes.ReplayedCounter, StatusCodes.Status409Conflict, "The sender's counter is not newer than its last stored one.");

    public static ApiError WrongContext(string detail) =>
        new(ProblemTypes.WrongContext, StatusCodes.Status400BadRequest, "The item is for another review or channel than the route.", detail);

    public static ApiError Forbidden(string detail) =>
        new(ProblemTypes.Forbidden, StatusCodes.Status403Forbidden, "The caller may not do this.", detail);

    public static ApiError NotFound(string detail) =>
        new(ProblemTypes.NotFound, StatusCodes.Status404NotFound, "Not found.", detail);

    public static ApiError StatementConflict(string detail) =>
        new(ProblemTypes.StatementConflict, StatusCodes.Status409Conflict, "The statement's sequence number is taken or not the certifier's next.", detail);

    public static ApiError EpochConflict(string detail) =>
        new(ProblemTypes.EpochConflict, StatusCodes.Status409Conflict, "The epoch record does not extend the channel's chain.", detail);

    public static ApiError StaleEpoch(string detail) =>
        new(ProblemTypes.StaleEpoch, StatusCodes.Status409Conflict, "The envelope is not in the channel's current epoch, or its sender is not listed there.", detail);

    public static ApiError NotAuthor(string detail) =>
        new(ProblemTypes.NotAuthor, StatusCodes.Status403Forbidden, "Only the device that sent an item corrects or retracts it.", detail);

    public static ApiError AlreadyRetracted(string detail) =>
        new(ProblemTypes.AlreadyRetracted, StatusCodes.Status409Conflict, "The item is retracted already.", detail);

    public static ApiError AmendmentConflict(string detail) =>
        new(ProblemTypes.AmendmentConflict, StatusCodes.Status409Conflict, "The replacement already corrects another item.", detail);

    public static ApiError InvalidCheckpoint(string detail) =>
        new(ProblemTypes.InvalidCheckpoint, StatusCodes.Status422UnprocessableEntity, "The checkpoint or cosignature does not verify, or this log did not sign it.", detail);
}
