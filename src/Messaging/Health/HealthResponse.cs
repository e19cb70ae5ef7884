namespace SecureDialogue.Messaging.Health;

/// <summary>The body of <c>GET /healthz</c>.</summary>
/// <param name="Status"><c>ok</c>, or <c>unavailable</c> when libsodium cannot be used.</param>
/// <param name="Libsodium">The libsodium version in use, when it loaded.</param>
/// <param name="Error">Why the server is unavailable, when it is.</param>
internal sealed record HealthResponse(string Status, string? Libsodium, string? Error = null);
