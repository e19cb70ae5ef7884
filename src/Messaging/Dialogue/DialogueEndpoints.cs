using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Health;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Dialogue;

internal static class DialogueEndpoints
{
    /// <summary>Largest body of an envelope POST: the largest envelope in base64, with room for the JSON around it.</summary>
    public const long MaxEnvelopeRequestSize = DialogueHubContract.MaxMessageSize;

    /// <summary>Largest body of an epoch record POST.</summary>
    public const long MaxEpochRequestSize = ((EpochRecord.MaxEncodedSize + 2) / 3 * 4) + 4096;

    /// <summary>The hub, the envelope and epoch commands and their queries.</summary>
    public static IServiceCollection AddDialogue(this IServiceCollection services, IHostEnvironment environment)
    {
        // Every refusal is a HubException, which SignalR's dispatcher would log as an error with a stack trace;
        // DialogueHubFilter logs real faults instead.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.None));
        services.AddSingleton<DialogueHubFilter>();
        services.AddSingleton<EpochMembersCache>();
        services.AddSingleton<DeviceCardCache>();

        // Group commit of accepted envelopes: one writer loop, started and stopped with the host.
        services.AddSingleton<EnvelopeWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<EnvelopeWriter>());
        services.AddSingleton<DialogueNotifier>();
        services.AddSingleton<HubSubscriptions>();
        services.AddScoped<AcceptEnvelopeCommand>();
        services.AddScoped<AddEpochRecordCommand>();
        services.AddScoped<EnvelopePageQuery>();
        services.AddScoped<EpochRecordsQuery>();
        services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = DialogueHubContract.MaxMessageSize;
                options.EnableDetailedErrors = environment.IsDevelopment();
                options.AddFilter<DialogueHubFilter>();
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, MessagingJsonContext.Default));
        return services;
    }

    /// <summary>The hub and <c>/api/reviews/{id}/channels/{channel}/{epochs,envelopes}</c>.</summary>
    public static IEndpointRouteBuilder MapDialogueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<DialogueHub>(DialogueHubContract.Path, options =>
        {
            // The JSON protocol over WebSockets, with or without negotiation; long polling and SSE are not offered.
            options.Transports = HttpTransportType.WebSockets;
            options.ApplicationMaxBufferSize = DialogueHubContract.MaxMessageSize;

            // A connection is authorised by its token only while the token lives: the server closes it at expiry
            // (clients reconnect with a fresh token), so an expired or revoked sign-in keeps no doorbell and no Send.
            options.CloseOnAuthenticationExpiration = true;
        });

        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(HttpRoutes.Epochs, GetEpochsAsync);
        group.MapPost(HttpRoutes.Epochs, AddEpochAsync).WithMetadata(new BodySizeLimit(MaxEpochRequestSize));
        group.MapGet(HttpRoutes.Envelopes, GetEnvelopesAsync);
        group.MapPost(HttpRoutes.Envelopes, SendAsync).WithMetadata(new BodySizeLimit(MaxEnvelopeRequestSize), TakesEnvelopesMetadata.Instance);
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<EpochRecordEntry>>, ProblemHttpResult>> GetEpochsAsync(
        Guid reviewId, string channel, long? after, Caller caller, EpochRecordsQuery query, CancellationToken cancellationToken)
    {
        var outcome = await query.ExecuteAsync(caller, reviewId, channel, after, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var records, out var error) ? TypedResults.Ok(records) : error.ToResult();
    }

    private static async Task<Results<Created<EpochRecordEntry>, ProblemHttpResult>> AddEpochAsync(
        Guid reviewId, string channel, AddEpochRecord? request, Caller caller, AddEpochRecordCommand command, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, channel, request?.Record, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var entry, out var error)
            ? TypedResults.Created($"{HttpRoutes.EpochsOf(reviewId, channel)}?after={(long)entry.Epoch - 1}", entry)
            : error.ToResult();
    }

    private static async Task<Results<Ok<EnvelopePage>, ProblemHttpResult>> GetEnvelopesAsync(
        Guid reviewId, string channel, long? after, int? limit, Caller caller, EnvelopePageQuery query, CancellationToken cancellationToken)
    {
        var outcome = await query.ExecuteAsync(caller, reviewId, channel, after, limit, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var page, out var error) ? TypedResults.Ok(page) : error.ToResult();
    }

    private static async Task<Results<Ok<SendAck>, ProblemHttpResult>> SendAsync(
        Guid reviewId, string channel, SendEnvelope? request, Caller caller, AcceptEnvelopeCommand command, CancellationToken cancellationToken)
    {
        if (request is not null && (request.ReviewId != reviewId || !string.Equals(request.Channel, channel, StringComparison.Ordinal)))
        {
            return ApiErrors.WrongContext("The body names another review or channel than the route.").ToResult();
        }

        var outcome = await command.ExecuteAsync(caller, reviewId, channel, request?.Envelope, cancellationToken).ConfigureAwait(false);
        return outcome.TryGet(out var ack, out var error) ? TypedResults.Ok(ack) : error.ToResult();
    }

    /// <summary>Raises the request body limit of one endpoint above Kestrel's default.</summary>
    private sealed class BodySizeLimit(long size) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => size;
    }
}
