using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Trust;

internal static class TrustEndpoints
{
    /// <summary>Focal points, device certificates and revocations, and the member listing.</summary>
    public static IServiceCollection AddTrust(this IServiceCollection services)
    {
        services.AddScoped<SetFocalPointCommand>();
        services.AddScoped<SubmitTrustStatementCommand>();
        services.AddScoped<ReviewMembersQuery>();
        return services;
    }

    /// <summary><c>GET .../members</c>, <c>POST .../focal-points</c>, <c>POST .../trust-statements</c>.</summary>
    public static IEndpointRouteBuilder MapTrustEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(TrustRoutes.Members, MembersAsync);
        group.MapPost(TrustRoutes.FocalPoints, SetFocalPointAsync);
        group.MapPost(TrustRoutes.Statements, SubmitAsync);
        group.MapGet(TrustRoutes.Device, DeviceAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<ReviewMembersResponse>, ProblemHttpResult>> MembersAsync(
        Guid reviewId, Caller caller, ReviewMembersQuery query, CancellationToken cancellationToken)
    {
        var outcome = await query.ExecuteAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var members, out var error) ? TypedResults.Ok(members) : error.ToResult();
    }

    private static async Task<Results<Ok<DeviceEntry>, ProblemHttpResult>> DeviceAsync(
        string deviceId, MessagingDbContext db, CancellationToken cancellationToken)
    {
        if (!SecureDialogue.Vault.Keys.DeviceId.TryParse(deviceId, out _))
        {
            return ApiErrors.BadRequest("A device id is 32 lower-case hex digits.").ToResult();
        }

        var row = await db.Devices.Where(d => d.DeviceId == deviceId && d.RevokedAt == null)
            .Join(db.Accounts, d => d.AccountId, a => a.Id, (d, a) => new { d.DeviceId, d.AccountId, a.DisplayName, d.Card, d.RegisteredAt })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null
            ? ApiErrors.NotFound("No registered device has this id.").ToResult()
            : TypedResults.Ok(new DeviceEntry(row.DeviceId, row.AccountId, row.DisplayName, string.Empty, row.Card, row.RegisteredAt));
    }

    private static async Task<Results<Ok<FocalPointEntry>, ProblemHttpResult>> SetFocalPointAsync(
        Guid reviewId, SetFocalPoint? request, Caller caller, SetFocalPointCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var entry, out var error) ? TypedResults.Ok(entry) : error.ToResult();
    }

    private static async Task<Results<Created<TrustStatementEntry>, Ok<TrustStatementEntry>, ProblemHttpResult>> SubmitAsync(
        Guid reviewId, SubmitTrustStatement? request, Caller caller, SubmitTrustStatementCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, request, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var stored, out var error))
        {
            return error.ToResult();
        }

        return stored.Created ? TypedResults.Created(TrustRoutes.MembersOf(reviewId), stored.Entry) : TypedResults.Ok(stored.Entry);
    }
}
