namespace SecureDialogue.Client.Api;

/// <summary>The fields of an RFC 9457 problem details body the client reads.</summary>
internal sealed record ProblemDocument(string? Type, string? Title, int? Status, string? Detail);
