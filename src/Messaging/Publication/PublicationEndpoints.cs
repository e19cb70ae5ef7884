using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Publication;

internal static class PublicationEndpoints
{
    /// <summary>Options, commands and queries of voluntary publication.</summary>
    public static IServiceCollection AddPublications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicationOptions>().Bind(configuration.GetSection(PublicationOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublicationOptions>, PublicationOptions.Validator>());
        services.AddScoped<PublishCommand>();
        services.AddScoped<WithdrawPublicationCommand>();
        services.AddScoped<PublicationQueries>();
        return services;
    }

    /// <summary>The API (docs/server.md "Publications"); the portal pages are mapped by <c>Pages.Portal</c>.</summary>
    public static IEndpointRouteBuilder MapPublicationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var members = endpoints.MapGroup(string.Empty).RequireAuthorization();
        members.MapPost(PublicationRoutes.Publications, PublishAsync).WithMetadata(RecordBody.Limit);
        members.MapGet(PublicationRoutes.Publications, ListAsync);
        members.MapPost(PublicationRoutes.Withdraw, WithdrawAsync);

        // Public publications are read without signing in; the audience rule is applied per publication.
        endpoints.MapGet(PublicationRoutes.Publication, GetAsync);
        endpoints.MapGet(PublicationRoutes.Record, RecordAsync);
        return endpoints;
    }

    private static async Task<Results<Created<PublicationEntry>, Ok<PublicationEntry>, ProblemHttpResult>> PublishAsync(
        Guid reviewId, HttpContext http, Caller caller, PublishCommand command, CancellationToken cancellationToken)
    {
        var body = await RecordBody.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (!body.TryGet(out var bytes, out var error))
        {
            return error.ToResult();
        }

        var outcome = await command.ExecuteAsync(caller, reviewId, bytes, cancellationToken).ConfigureAwait(false);
        if (!outcome.TryGet(out var stored, out error))
        {
            return error.ToResult();
        }

        var entry = PublicationQueries.ToEntry(new PublicationQueries.Stored(stored.Row, null));
        return stored.Created ? TypedResults.Created(entry.PageUrl, entry) : TypedResults.Ok(entry);
    }

    private static async Task<Results<Ok<PublicationList>, ProblemHttpResult>> ListAsync(
        Guid reviewId, Caller caller, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var list, out var error) ? TypedResults.Ok(list) : error.ToResult();
    }

    private static async Task<Results<Ok<PublicationEntry>, ProblemHttpResult>> WithdrawAsync(
        Guid reviewId, string publicationId, Caller caller, WithdrawPublicationCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, publicationId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var entry, out var error) ? TypedResults.Ok(entry) : error.ToResult();
    }

    private static async Task<Results<Ok<PublicationEntry>, ProblemHttpResult>> GetAsync(
        string publicationId, Caller? caller, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.ReadableAsync(caller, publicationId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var stored, out var error) ? TypedResults.Ok(PublicationQueries.ToEntry(stored)) : error.ToResult();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RecordAsync(
        string publicationId, Caller? caller, PublicationQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.ReadableAsync(caller, publicationId, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var stored, out var error)
            ? TypedResults.File(stored.Row.Record, PublicationRoutes.MediaType, $"{stored.Row.Id[..16]}.sdpub")
            : error.ToResult();
    }
}

/// <summary>The body of a publication POST: the record's bytes, at most <see cref="PublicationRecord.MaxEncodedSize"/>.</summary>
internal static class RecordBody
{
    /// <summary>Raises the endpoint's body limit to the largest record.</summary>
    public static IRequestSizeLimitMetadata Limit { get; } = new Mechanism.UploadLimit(PublicationRecord.MaxEncodedSize);

    public static async Task<Outcome<byte[]>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type ||
            !(type.StartsWith(PublicationRoutes.MediaType, StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
        {
            return ApiErrors.BadRequest($"Send the record's bytes as {PublicationRoutes.MediaType}.");
        }

        if (request.ContentLength > PublicationRecord.MaxEncodedSize)
        {
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > PublicationRecord.MaxEncodedSize)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiError TooLarge() =>
        new(ProblemTypes.TooLarge, StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"A publication record is at most {PublicationRecord.MaxEncodedSize} bytes.");
}
