using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Directory;

internal static class DirectoryEndpoints
{
    /// <summary>The key directory.</summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services)
    {
        services.AddScoped<RegisterDeviceCommand>();
        services.AddScoped<DirectoryQueries>();
        return services;
    }

    /// <summary><c>GET /api/me</c>, <c>POST /api/devices</c>, <c>GET /api/reviews/{id}/devices</c>.</summary>
    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(HttpRoutes.Me, MeAsync);
        group.MapPost(HttpRoutes.Devices, RegisterAsync);
        group.MapGet(HttpRoutes.ReviewDevices, ReviewDevicesAsync);
        return endpoints;
    }

    private static async Task<Ok<MeResponse>> MeAsync(Caller caller, DirectoryQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.MeAsync(caller, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<DeviceEntry>, Ok<DeviceEntry>, ProblemHttpResult>> RegisterAsync(
        RegisterDevice? request, Caller caller, RegisterDeviceCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, request, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var registered, out var error))
        {
            return error.ToResult();
        }

        return registered.Created
            ? TypedResults.Created(HttpRoutes.Me, registered.Device)
            : TypedResults.Ok(registered.Device);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceEntry>>, ProblemHttpResult>> ReviewDevicesAsync(
        Guid reviewId, Caller caller, DirectoryQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.ReviewDevicesAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var devices, out var error) ? TypedResults.Ok(devices) : error.ToResult();
    }
}
