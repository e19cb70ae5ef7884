using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Api;

/// <summary>
/// Typed client of the SecureDialogue HTTP API (<see cref="HttpRoutes"/>). Every call sends the bearer token
/// from the injected provider, honours cancellation, and returns either the contract value or an
/// <see cref="ApiError"/> (problem details, or no answer); it throws only when cancelled.
/// </summary>
public sealed class DialogueApiClient
{
    /// <summary>The server's page size limit for envelope history.</summary>
    public const int MaxPageSize = 500;

    private readonly HttpClient _http;
    private readonly Func<CancellationToken, ValueTask<string?>> _accessToken;
    private static ContractsJsonContext Json => ContractsJsonContext.Default;

    /// <summary>Creates a client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the server.</summary>
    /// <param name="http">The HTTP client; its base address must be set. Not disposed by this class.</param>
    /// <param name="accessTokenProvider">Returns the current bearer token (refreshing it if needed), or null to call anonymously.</param>
    /// <exception cref="ArgumentException"><paramref name="http"/> has no base address.</exception>
    public DialogueApiClient(HttpClient http, Func<CancellationToken, ValueTask<string?>> accessTokenProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(accessTokenProvider);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the server URI).", nameof(http));
        }

        _http = http;
        _accessToken = accessTokenProvider;
    }

    /// <summary><c>GET /api/me</c>: the signed-in account and its devices.</summary>
    public Task<Result<MeResponse, ApiError>> GetMeAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, HttpRoutes.Me, null, Json.MeResponse, cancellationToken);

    /// <summary><c>POST /api/devices</c>: registers this device's self-signed card with the signed-in account.</summary>
    public Task<Result<DeviceEntry, ApiError>> RegisterDeviceAsync(DevicePublicKeys card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        return SendAsync(HttpMethod.Post, HttpRoutes.Devices, JsonContent.Create(new RegisterDevice(card.Encode()), Json.RegisterDevice), Json.DeviceEntry, cancellationToken);
    }

    /// <summary><c>GET /api/reviews</c>: the reviews the signed-in account takes part in.</summary>
    public Task<Result<IReadOnlyList<ReviewSummary>, ApiError>> ListReviewsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, HttpRoutes.Reviews, null, Json.IReadOnlyListReviewSummary, cancellationToken);

    /// <summary><c>GET /api/reviews/{id}</c>: a review with its members and channels.</summary>
    public Task<Result<ReviewDetail, ApiError>> GetReviewAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.Review, reviewId, null), null, Json.ReviewDetail, cancellationToken);

    /// <summary><c>POST /api/reviews</c>: creates a review (secretariat only).</summary>
    public Task<Result<ReviewDetail, ApiError>> CreateReviewAsync(CreateReview review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        return SendAsync(HttpMethod.Post, HttpRoutes.Reviews, JsonContent.Create(review, Json.CreateReview), Json.ReviewDetail, cancellationToken);
    }

    /// <summary><c>GET /api/reviews/{id}/devices</c>: the registered devices of the review's members, as the server lists them (untrusted).</summary>
    public Task<Result<IReadOnlyList<DeviceEntry>, ApiError>> GetReviewDevicesAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.ReviewDevices, reviewId, null), null, Json.IReadOnlyListDeviceEntry, cancellationToken);

    /// <summary><c>GET /api/reviews/{id}/members</c>: members, devices, focal point nominations and trust statements (untrusted: the SDK verifies).</summary>
    public Task<Result<ReviewMembersResponse, ApiError>> GetReviewMembersAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, TrustRoutes.MembersOf(reviewId), null, Json.ReviewMembersResponse, cancellationToken);

    /// <summary><c>GET /api/devices/{id}</c>: a registered device's card and account (untrusted: compare its fingerprint).</summary>
    public Task<Result<DeviceEntry, ApiError>> GetDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, TrustRoutes.DeviceOf(deviceId), null, Json.DeviceEntry, cancellationToken);

    /// <summary><c>POST /api/reviews/{id}/focal-points</c>: registers a State's focal point (secretariat assigned to the review).</summary>
    public Task<Result<FocalPointEntry, ApiError>> SetFocalPointAsync(Guid reviewId, SetFocalPoint request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Post, TrustRoutes.FocalPointsOf(reviewId), JsonContent.Create(request, Json.SetFocalPoint), Json.FocalPointEntry, cancellationToken);
    }

    /// <summary><c>POST /api/reviews/{id}/trust-statements</c>: stores a signed certificate or revocation.</summary>
    public Task<Result<TrustStatementEntry, ApiError>> SubmitTrustStatementAsync(Guid reviewId, ReadOnlyMemory<byte> statement, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, TrustRoutes.StatementsOf(reviewId),
            JsonContent.Create(new SubmitTrustStatement(statement.ToArray()), Json.SubmitTrustStatement), Json.TrustStatementEntry, cancellationToken);

    /// <summary><c>GET .../epochs</c>: the channel's stored epoch records, after epoch <paramref name="after"/> when given.</summary>
    public Task<Result<IReadOnlyList<EpochRecordEntry>, ApiError>> GetEpochRecordsAsync(
        Guid reviewId, string channel, uint? after = null, CancellationToken cancellationToken = default)
    {
        var path = Route(HttpRoutes.Epochs, reviewId, channel);
        if (after is { } a)
        {
            path += "?after=" + a.ToString(CultureInfo.InvariantCulture);
        }

        return SendAsync(HttpMethod.Get, path, null, Json.IReadOnlyListEpochRecordEntry, cancellationToken);
    }

    /// <summary><c>POST .../epochs</c>: stores the channel's next epoch record. Returns null on success.</summary>
    public async Task<ApiError?> AddEpochRecordAsync(Guid reviewId, string channel, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(new AddEpochRecord(record.ToArray()), Json.AddEpochRecord);
        var result = await SendAsync<object>(HttpMethod.Post, Route(HttpRoutes.Epochs, reviewId, channel), content, null, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? null : result.Error;
    }

    /// <summary><c>GET .../envelopes?after=S&amp;limit=N</c>: a page of stored envelopes in sequence order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to <see cref="MaxPageSize"/>, or <paramref name="after"/> is negative.</exception>
    public Task<Result<EnvelopePage, ApiError>> GetEnvelopesAsync(
        Guid reviewId, string channel, long after, int limit = MaxPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var path = Route(HttpRoutes.Envelopes, reviewId, channel) +
                   string.Create(CultureInfo.InvariantCulture, $"?after={after}&limit={limit}");
        return SendAsync(HttpMethod.Get, path, null, Json.EnvelopePage, cancellationToken);
    }

    /// <summary><c>POST .../envelopes</c>: stores an envelope (the hub's fallback). A retry with the same bytes returns the original sequence with <see cref="SendAck.Duplicate"/>.</summary>
    public Task<Result<SendAck, ApiError>> PostEnvelopeAsync(SendEnvelope request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = JsonContent.Create(request, Json.SendEnvelope);
        return SendAsync(HttpMethod.Post, Route(HttpRoutes.Envelopes, request.ReviewId, request.Channel), content, Json.SendAck, cancellationToken);
    }

    internal static string Route(string template, Guid reviewId, string? channel)
    {
        var path = template.Replace("{reviewId:guid}", reviewId.ToString("D"), StringComparison.Ordinal);
        return channel is null ? path : path.Replace("{channel}", Uri.EscapeDataString(channel), StringComparison.Ordinal);
    }

    private async Task<Result<T, ApiError>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T>? responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var token = await _accessToken(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return ApiError.NoAnswer(e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiError.NoAnswer("timeout");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    return await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
                }

                if (responseType is null)
                {
                    return Result<T, ApiError>.Ok(default!);
                }

                var value = await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false);
                return value is null ? ApiError.Unexpected(status, "empty body") : value;
            }
            catch (JsonException)
            {
                return ApiError.Unexpected(status, "the body is not the expected JSON");
            }
            catch (HttpRequestException e)
            {
                return ApiError.NoAnswer(e.HttpRequestError.ToString());
            }
            catch (IOException)
            {
                return ApiError.NoAnswer("the connection closed while reading the response");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ApiError.NoAnswer("timeout");
            }
        }
    }

    private static async Task<ApiError> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        ProblemDocument? problem = null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(Json.ProblemDocument, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                problem = null;
            }
        }

        var type = string.IsNullOrEmpty(problem?.Type) || problem.Type == "about:blank" ? StatusType(status) : problem.Type;
        return new ApiError(status, type, problem?.Title ?? response.ReasonPhrase, problem?.Detail);
    }

    // A bare status (no problem body, e.g. from a proxy or the authentication middleware) mapped to the closest stable type.
    private static string StatusType(int status) => status switch
    {
        400 => ProblemTypes.BadRequest,
        401 or 403 => ProblemTypes.Forbidden,
        404 => ProblemTypes.NotFound,
        _ => "about:blank",
    };
}
