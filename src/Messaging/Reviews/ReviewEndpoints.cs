using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Reviews;

internal static class ReviewEndpoints
{
    /// <summary>Reviews and their membership checks.</summary>
    public static IServiceCollection AddReviews(this IServiceCollection services)
    {
        services.AddScoped<ReviewAccess>();

        // The one record of review events: review_events rows and archive log entries (Events/ReviewEventLog).
        services.AddScoped<Events.IReviewEventLog, Events.ReviewEventLog>();
        services.AddScoped<ReviewQueries>();
        services.AddScoped<CreateReviewCommand>();
        return services;
    }

    /// <summary><c>GET/POST /api/reviews</c>, <c>GET /api/reviews/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(HttpRoutes.Reviews, ListAsync);
        group.MapPost(HttpRoutes.Reviews, CreateAsync);
        group.MapGet(HttpRoutes.Review, DetailAsync);
        return endpoints;
    }

    private static async Task<Ok<IReadOnlyList<ReviewSummary>>> ListAsync(Caller caller, ReviewQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(caller, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<ReviewDetail>, ProblemHttpResult>> CreateAsync(
        CreateReview? request, Caller caller, CreateReviewCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var detail, out var error)
            ? TypedResults.Created(HttpRoutes.ReviewOf(detail.ReviewId), detail)
            : error.ToResult();
    }

    private static async Task<Results<Ok<ReviewDetail>, ProblemHttpResult>> DetailAsync(
        Guid reviewId, Caller caller, ReviewQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.DetailForAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var detail, out var error) ? TypedResults.Ok(detail) : error.ToResult();
    }
}
