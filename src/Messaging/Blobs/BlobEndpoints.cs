using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>The attachment endpoints: resumable uploads into a channel and ranged downloads (docs/server.md, "Attachments").</summary>
internal static class BlobEndpoints
{
    /// <summary>Largest body of a part PUT: the largest part size the options allow.</summary>
    public const long MaxPartRequestSize = 64L * 1024 * 1024;

    /// <summary>The blob store (<see cref="BlobStorageServiceCollectionExtensions.AddBlobStorage"/>) and the upload and download services.</summary>
    public static IServiceCollection AddAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobStorage(configuration);
        services.AddScoped<BlobUploads>();
        services.AddScoped<BlobDownloads>();
        return services;
    }

    public static IEndpointRouteBuilder MapBlobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapPost(HttpRoutes.Uploads, BeginAsync);
        group.MapGet(HttpRoutes.Upload, StatusAsync);
        group.MapDelete(HttpRoutes.Upload, AbortAsync);
        group.MapPut(HttpRoutes.UploadPart, PutPartAsync).WithMetadata(new BodySizeLimit(MaxPartRequestSize));
        group.MapPost(HttpRoutes.UploadCompletion, CompleteAsync);
        group.MapGet(HttpRoutes.Blob, DownloadAsync);
        return endpoints;
    }

    private static async Task<Results<Created<UploadStatus>, ProblemHttpResult>> BeginAsync(
        Guid reviewId, string channel, BeginUpload? request, Caller caller, BlobUploads uploads, CancellationToken cancellationToken)
    {
        var outcome = await uploads.BeginAsync(caller, reviewId, channel, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var status, out var error)
            ? TypedResults.Created(HttpRoutes.UploadOf(reviewId, channel, status.UploadId), status)
            : error.ToResult();
    }

    private static async Task<Results<Ok<UploadStatus>, ProblemHttpResult>> StatusAsync(
        Guid reviewId, string channel, string uploadId, Caller caller, BlobUploads uploads, CancellationToken cancellationToken)
    {
        var outcome = await uploads.StatusAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var status, out var error) ? TypedResults.Ok(status) : error.ToResult();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AbortAsync(
        Guid reviewId, string channel, string uploadId, Caller caller, BlobUploads uploads, CancellationToken cancellationToken)
    {
        var outcome = await uploads.AbortAsync(caller, reviewId, channel, uploadId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out _, out var error) ? TypedResults.NoContent() : error.ToResult();
    }

    private static async Task<Results<Ok<UploadedPart>, ProblemHttpResult>> PutPartAsync(
        Guid reviewId, string channel, string uploadId, int partNumber, HttpRequest request, Caller caller, BlobUploads uploads,
        CancellationToken cancellationToken)
    {
        var outcome = await uploads.PutPartAsync(caller, reviewId, channel, uploadId, partNumber, request.Body, request.ContentLength, cancellationToken)
            .ConfigureAwait(false);
        return outcome.TryGet(out var part, out var error) ? TypedResults.Ok(part) : error.ToResult();
    }

    private static async Task<Results<Ok<BlobEntry>, ProblemHttpResult>> CompleteAsync(
        Guid reviewId, string channel, string uploadId, CompleteUpload? request, Caller caller, BlobUploads uploads, CancellationToken cancellationToken)
    {
        var outcome = await uploads.CompleteAsync(caller, reviewId, channel, uploadId, request, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var entry, out var error) ? TypedResults.Ok(entry) : error.ToResult();
    }

    private static async Task<IResult> DownloadAsync(
        Guid reviewId, string channel, string blobId, HttpRequest request, Caller caller, BlobDownloads downloads, CancellationToken cancellationToken)
    {
        var outcome = await downloads.OpenAsync(caller, reviewId, channel, blobId, request.Headers.Range.ToString() is { Length: > 0 } r ? r : null, cancellationToken)
            .ConfigureAwait(false);
        return outcome.TryGet(out var download, out var error) ? download : error.ToResult();
    }

    /// <summary>Raises the request body limit of one endpoint above Kestrel's default.</summary>
    private sealed class BodySizeLimit(long size) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => size;
    }
}
