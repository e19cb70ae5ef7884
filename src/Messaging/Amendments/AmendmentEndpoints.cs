using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Amendments;

/// <summary>Authors' corrections and retractions of their envelopes (docs/protocol.md section 21).</summary>
internal static class AmendmentEndpoints
{
    public static IServiceCollection AddAmendments(this IServiceCollection services)
    {
        services.AddScoped<SubmitAmendmentCommand>();
        services.AddScoped<AmendmentsQuery>();
        return services;
    }

    /// <summary><c>GET</c> and <c>POST .../channels/{channel}/amendments</c>.</summary>
    public static IEndpointRouteBuilder MapAmendmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(AmendmentRoutes.Amendments, ListAsync);
        group.MapPost(AmendmentRoutes.Amendments, SubmitAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<AmendmentEntry>>, ProblemHttpResult>> ListAsync(
        Guid reviewId, string channel, Caller caller, AmendmentsQuery query, CancellationToken cancellationToken)
    {
        var outcome = await query.ExecuteAsync(caller, reviewId, channel, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var entries, out var error) ? TypedResults.Ok(entries) : error.ToResult();
    }

    private static async Task<Results<Created<AmendmentEntry>, Ok<AmendmentEntry>, ProblemHttpResult>> SubmitAsync(
        Guid reviewId, string channel, SubmitAmendment? request, Caller caller, SubmitAmendmentCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, channel, request, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var stored, out var error))
        {
            return error.ToResult();
        }

        return stored.Created ? TypedResults.Created(AmendmentRoutes.AmendmentsOf(reviewId, channel), stored.Entry) : TypedResults.Ok(stored.Entry);
    }
}
