using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Archive.Sealing;

internal static class SealingEndpoints
{
    /// <summary>The media type of a bundle file.</summary>
    public const string BundleMediaType = "application/vnd.securedialogue.bundle";

    /// <summary>
    /// Sealing on top of the archive log: the sealed store (<see cref="SealingServiceCollectionExtensions.AddSealedStorage"/>),
    /// the <see cref="DbArchiveSource"/>, the <see cref="BundleSealer"/> signing with the log key, and <see cref="ReviewSealing"/>.
    /// </summary>
    public static IServiceCollection AddSealing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSealedStorage(configuration);
        services.AddScoped<IArchiveSource, DbArchiveSource>();
        services.AddScoped(provider => new BundleSealer(
            provider.GetRequiredService<IArchiveSource>(),
            provider.GetRequiredService<ISealedBundleStore>(),
            provider.GetRequiredService<ArchiveKey>().Signer,
            provider.GetRequiredService<IOptions<SealedStorageOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<BundleSealer>>()));
        services.AddScoped<ReviewSealing>();
        return services;
    }

    /// <summary><c>/api/reviews/{id}/archive/seal</c>, <c>.../archive/bundles</c> and <c>.../archive/bundles/{name}</c>.</summary>
    public static IEndpointRouteBuilder MapSealingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapPost(HttpRoutes.ArchiveSeal, SealAsync);
        group.MapGet(HttpRoutes.ArchiveBundles, ListAsync);
        group.MapGet(HttpRoutes.ArchiveBundle, DownloadAsync);
        return endpoints;
    }

    private static async Task<Results<Created<SealedBundleInfo>, ProblemHttpResult>> SealAsync(
        Guid reviewId, SealArchive? request, Caller caller, ReviewSealing sealing, CancellationToken cancellationToken)
    {
        var outcome = await sealing.SealForAsync(caller, reviewId, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var info, out var error)
            ? TypedResults.Created(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveBundles, reviewId) + "/" + info.Name, info)
            : error.ToResult();
    }

    private static async Task<Results<Ok<SealedBundleList>, ProblemHttpResult>> ListAsync(
        Guid reviewId, Caller caller, ReviewSealing sealing, CancellationToken cancellationToken)
    {
        var outcome = await sealing.ListAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var list, out var error) ? TypedResults.Ok(list) : error.ToResult();
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid reviewId, string name, Caller caller, ReviewSealing sealing, CancellationToken cancellationToken)
    {
        var outcome = await sealing.OpenAsync(caller, reviewId, name, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var opened, out var error)
            ? TypedResults.Stream(opened.Content, BundleMediaType, opened.Receipt.Name)
            : error.ToResult();
    }
}
