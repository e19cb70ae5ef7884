using SecureDialogue.Vault;

namespace SecureDialogue.Messaging.Health;

internal static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c>: 200 with the libsodium version, or 503 when libsodium is unusable.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", static () =>
        {
            try
            {
                return Results.Json(new HealthResponse("ok", Sodium.Version), MessagingJsonContext.Default.HealthResponse);
            }
            catch (PlatformNotSupportedException e)
            {
                return Results.Json(new HealthResponse("unavailable", null, e.Message), MessagingJsonContext.Default.HealthResponse,
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return endpoints;
    }
}
