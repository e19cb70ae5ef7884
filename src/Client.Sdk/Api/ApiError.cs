using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Api;

/// <summary>
/// A failed API call: the server's RFC 9457 problem details (<see cref="Type"/> is one of
/// <see cref="ProblemTypes"/>), or a client-side failure to reach the server or to read its answer.
/// </summary>
/// <param name="Status">The HTTP status, or 0 when no response arrived.</param>
/// <param name="Type">The problem type URI: a <see cref="ProblemTypes"/> value, <see cref="Unreachable"/>, or <see cref="UnexpectedResponse"/>.</param>
/// <param name="Title">The problem's short title, if any.</param>
/// <param name="Detail">The problem's detail, if any. Never contains envelope bytes or tokens.</param>
public readonly record struct ApiError(int Status, string Type, string? Title, string? Detail)
{
    /// <summary>No answer: connection refused or dropped, DNS failure, timeout, or a hub that is not connected.</summary>
    public const string Unreachable = "urn:securedialogue:client:unreachable";

    /// <summary>An answer that is not what the contract promises (wrong JSON, wrong status).</summary>
    public const string UnexpectedResponse = "urn:securedialogue:client:unexpected-response";

    /// <summary>True when this error has the given problem type.</summary>
    /// <param name="problemType">A <see cref="ProblemTypes"/> value or one of the client-side types.</param>
    public bool Is(string problemType) => string.Equals(Type, problemType, StringComparison.Ordinal);

    /// <summary>True when retrying the same request later may succeed (no answer, 408, 429 or 5xx).</summary>
    public bool IsTransient => Is(Unreachable) || Status is 408 or 429 or >= 500;

    internal static ApiError NoAnswer(string detail) => new(0, Unreachable, "The server could not be reached", detail);

    internal static ApiError Unexpected(int status, string detail) => new(status, UnexpectedResponse, "Unexpected response", detail);

    /// <inheritdoc />
    public override string ToString() =>
        Status == 0 ? $"{Title ?? Type}: {Detail}" : $"{Status} {Title ?? Type}{(Detail is null ? "" : ": " + Detail)}";
}
