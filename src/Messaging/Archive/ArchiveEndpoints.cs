using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Archive;

internal static class ArchiveEndpoints
{
    /// <summary>The archive log: options, key, writer, reader, checkpoints and their schedule.</summary>
    public static IServiceCollection AddArchive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ArchiveOptions>().Bind(configuration.GetSection(ArchiveOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArchiveOptions>, ArchiveOptions.Validator>());
        services.AddSingleton<ArchiveKey>();
        services.AddSingleton<CheckpointSignal>();
        services.AddSingleton<ArchiveWriter>();
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<CheckpointScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<CheckpointScheduler>());
        services.AddScoped<ArchiveReader>();
        services.AddScoped<ArchiveQueries>();
        services.AddScoped<CosignCheckpointCommand>();
        return services;
    }

    /// <summary><c>/api/archive/keys</c> and <c>/api/reviews/{id}/archive/...</c>.</summary>
    public static IEndpointRouteBuilder MapArchiveEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(HttpRoutes.ArchiveKeys, Keys);
        group.MapGet(HttpRoutes.ArchiveCheckpoint, CheckpointAsync);
        group.MapGet(HttpRoutes.ArchiveEntries, EntriesAsync);
        group.MapGet(HttpRoutes.ArchiveInclusion, InclusionAsync);
        group.MapGet(HttpRoutes.ArchiveRange, RangeAsync);
        group.MapGet(HttpRoutes.ArchiveConsistency, ConsistencyAsync);
        group.MapPost(HttpRoutes.ArchiveCosignatures, CosignAsync);
        return endpoints;
    }

    private static Ok<ArchiveKeys> Keys(ArchiveKey key) =>
        TypedResults.Ok(new ArchiveKeys([.. key.Keys.Select(k => new ArchiveKeyInfo(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize))]));

    private static async Task<Results<Ok<ArchiveCheckpoint>, ProblemHttpResult>> CheckpointAsync(
        Guid reviewId, long? size, Caller caller, ArchiveQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.CheckpointAsync(caller, reviewId, size, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var checkpoint, out var error) ? TypedResults.Ok(checkpoint) : error.ToResult();
    }

    private static async Task<Results<Ok<ArchiveEntryPage>, ProblemHttpResult>> EntriesAsync(
        Guid reviewId, long? start, int? limit, Caller caller, ArchiveQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.EntriesAsync(caller, reviewId, start, limit, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var page, out var error) ? TypedResults.Ok(page) : error.ToResult();
    }

    private static async Task<Results<Ok<ArchiveInclusionProofs>, ProblemHttpResult>> InclusionAsync(
        Guid reviewId, long? size, [FromQuery] long[]? index, Caller caller, ArchiveQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.InclusionAsync(caller, reviewId, size, index, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var proofs, out var error) ? TypedResults.Ok(proofs) : error.ToResult();
    }

    private static async Task<Results<Ok<ArchiveRangeProof>, ProblemHttpResult>> RangeAsync(
        Guid reviewId, long? size, long? start, long? end, Caller caller, ArchiveQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.RangeAsync(caller, reviewId, size, start, end, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var proof, out var error) ? TypedResults.Ok(proof) : error.ToResult();
    }

    private static async Task<Results<Ok<ArchiveConsistencyProof>, ProblemHttpResult>> ConsistencyAsync(
        Guid reviewId, long? from, long? to, Caller caller, ArchiveQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.ConsistencyAsync(caller, reviewId, from, to, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var proof, out var error) ? TypedResults.Ok(proof) : error.ToResult();
    }

    private static async Task<Results<Created<CosignatureAccepted>, ProblemHttpResult>> CosignAsync(
        Guid reviewId, CosignCheckpoint? request, Caller caller, CosignCheckpointCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var accepted, out var error)
            ? TypedResults.Created($"{HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, reviewId)}?start={accepted.Index}&limit=1", accepted)
            : error.ToResult();
    }
}
