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

    /// <summary><c>POST .../uploads</c>: begins a resumable upload of <paramref name="length"/> ciphertext bytes into the channel.</summary>
    public Task<Result<UploadStatus, ApiError>> BeginUploadAsync(Guid reviewId, string channel, long length, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, HttpRoutes.UploadsOf(reviewId, channel), JsonContent.Create(new BeginUpload(length), Json.BeginUpload), Json.UploadStatus, cancellationToken);

    /// <summary><c>GET .../uploads/{id}</c>: the upload with its acknowledged parts.</summary>
    public Task<Result<UploadStatus, ApiError>> GetUploadAsync(Guid reviewId, string channel, string uploadId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, HttpRoutes.UploadOf(reviewId, channel, uploadId), null, Json.UploadStatus, cancellationToken);

    /// <summary><c>PUT .../uploads/{id}/parts/{n}</c>: sends one part's exact bytes; the answer comes once the server stored it durably.</summary>
    public Task<Result<UploadedPart, ApiError>> PutUploadPartAsync(
        Guid reviewId, string channel, string uploadId, int partNumber, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync(HttpMethod.Put, HttpRoutes.UploadPartOf(reviewId, channel, uploadId, partNumber), body, Json.UploadedPart, cancellationToken);
    }

    /// <summary><c>POST .../uploads/{id}/complete</c>: the server checks the ciphertext hash and commits the blob.</summary>
    public Task<Result<BlobEntry, ApiError>> CompleteUploadAsync(
        Guid reviewId, string channel, string uploadId, ReadOnlyMemory<byte> ciphertextHash, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, HttpRoutes.UploadCompletionOf(reviewId, channel, uploadId),
            JsonContent.Create(new CompleteUpload(ciphertextHash.ToArray()), Json.CompleteUpload), Json.BlobEntry, cancellationToken);

    /// <summary><c>DELETE .../uploads/{id}</c>: discards an upload. Returns null on success.</summary>
    public async Task<ApiError?> AbortUploadAsync(Guid reviewId, string channel, string uploadId, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync<object>(HttpMethod.Delete, HttpRoutes.UploadOf(reviewId, channel, uploadId), null, null, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? null : result.Error;
    }

    /// <summary>
    /// <c>GET .../blobs/{id}</c> from byte <paramref name="offset"/> (a <c>Range</c> request when above zero). The result
    /// streams the body: dispose it. Its <see cref="BlobResponse.Offset"/> is where the body starts (a server that
    /// ignores the range answers from 0).
    /// </summary>
    public Task<Result<BlobResponse, ApiError>> GetBlobAsync(
        Guid reviewId, string channel, string blobId, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpRoutes.BlobOf(reviewId, channel, blobId), UriKind.Relative));
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        return GetStreamAsync(request, static response =>
        {
            var partial = response.StatusCode == System.Net.HttpStatusCode.PartialContent;
            var start = partial ? response.Content.Headers.ContentRange?.From ?? -1 : 0;
            var total = partial ? response.Content.Headers.ContentRange?.Length ?? -1 : response.Content.Headers.ContentLength ?? -1;
            return start < 0 || total < 0 ? null : (start, total);
        }, cancellationToken);
    }

    /// <summary><c>GET /api/archive/keys</c>: the log keys that sign checkpoints (untrusted until pinned).</summary>
    public Task<Result<ArchiveKeys, ApiError>> GetArchiveKeysAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, HttpRoutes.ArchiveKeys, null, Json.ArchiveKeys, cancellationToken);

    /// <summary><c>GET .../archive/checkpoint[?size=N]</c>: the latest checkpoint, or the one of the smallest tree of at least <paramref name="atLeast"/> entries.</summary>
    public Task<Result<ArchiveCheckpoint, ApiError>> GetArchiveCheckpointAsync(Guid reviewId, long? atLeast = null, CancellationToken cancellationToken = default)
    {
        var path = Route(HttpRoutes.ArchiveCheckpoint, reviewId, null);
        if (atLeast is { } size)
        {
            path += "?size=" + size.ToString(CultureInfo.InvariantCulture);
        }

        return SendAsync(HttpMethod.Get, path, null, Json.ArchiveCheckpoint, cancellationToken);
    }

    /// <summary><c>GET .../archive/entries?start=I&amp;limit=N</c>: a page of the log's entries.</summary>
    public Task<Result<ArchiveEntryPage, ApiError>> GetArchiveEntriesAsync(Guid reviewId, long start, int limit = HttpRoutes.MaxArchiveEntryPageSize, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.ArchiveEntries, reviewId, null) + string.Create(CultureInfo.InvariantCulture, $"?start={start}&limit={limit}"),
            null, Json.ArchiveEntryPage, cancellationToken);

    /// <summary><c>GET .../archive/proofs/range</c>: the range proof of entries <paramref name="start"/> .. <paramref name="end"/> - 1 (at most 500) in the tree of <paramref name="treeSize"/> entries.</summary>
    public Task<Result<ArchiveRangeProof, ApiError>> GetRangeProofAsync(Guid reviewId, long treeSize, long start, long end, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.ArchiveRange, reviewId, null) + string.Create(CultureInfo.InvariantCulture, $"?size={treeSize}&start={start}&end={end}"),
            null, Json.ArchiveRangeProof, cancellationToken);

    /// <summary><c>GET .../archive/proofs/inclusion</c>: inclusion proofs of up to 100 indexes in the tree of <paramref name="treeSize"/> entries.</summary>
    public Task<Result<ArchiveInclusionProofs, ApiError>> GetInclusionProofsAsync(Guid reviewId, long treeSize, IReadOnlyList<long> indexes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var path = Route(HttpRoutes.ArchiveInclusion, reviewId, null) + string.Create(CultureInfo.InvariantCulture, $"?size={treeSize}") +
                   string.Concat(indexes.Select(i => string.Create(CultureInfo.InvariantCulture, $"&index={i}")));
        return SendAsync(HttpMethod.Get, path, null, Json.ArchiveInclusionProofs, cancellationToken);
    }

    /// <summary><c>GET .../archive/proofs/consistency?from=M&amp;to=N</c>.</summary>
    public Task<Result<ArchiveConsistencyProof, ApiError>> GetConsistencyProofAsync(Guid reviewId, long from, long to, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.ArchiveConsistency, reviewId, null) + string.Create(CultureInfo.InvariantCulture, $"?from={from}&to={to}"),
            null, Json.ArchiveConsistencyProof, cancellationToken);

    /// <summary><c>POST .../archive/cosignatures</c>: sends this device's cosignature of a checkpoint it verified.</summary>
    public Task<Result<CosignatureAccepted, ApiError>> PostCosignatureAsync(Guid reviewId, string cosignedCheckpoint, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Route(HttpRoutes.ArchiveCosignatures, reviewId, null),
            JsonContent.Create(new CosignCheckpoint(cosignedCheckpoint), Json.CosignCheckpoint), Json.CosignatureAccepted, cancellationToken);

    /// <summary><c>GET .../stage</c>: the review's stage, schedule and stage changes.</summary>
    public Task<Result<StageInfo, ApiError>> GetStageAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(MechanismRoutes.Stage, reviewId, null), null, Json.StageInfo, cancellationToken);

    /// <summary><c>POST .../stage</c> (assigned secretariat): moves the review to <paramref name="to"/>, which must be the next stage.</summary>
    public Task<Result<StageInfo, ApiError>> AdvanceStageAsync(Guid reviewId, string to, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Route(MechanismRoutes.Stage, reviewId, null), JsonContent.Create(new AdvanceStage(to), Json.AdvanceStage), Json.StageInfo, cancellationToken);

    /// <summary><c>GET .../channels/{channel}/amendments</c>: the channel's corrections and retractions in log order.</summary>
    public Task<Result<IReadOnlyList<AmendmentEntry>, ApiError>> GetAmendmentsAsync(Guid reviewId, string channel, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(AmendmentRoutes.Amendments, reviewId, channel), null, Json.IReadOnlyListAmendmentEntry, cancellationToken);

    /// <summary><c>POST .../channels/{channel}/amendments</c>: an amendment statement this device signed (docs/protocol.md 21.4); the same bytes again return the stored entry.</summary>
    public Task<Result<AmendmentEntry, ApiError>> SubmitAmendmentAsync(Guid reviewId, string channel, SubmitAmendment request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Route(AmendmentRoutes.Amendments, reviewId, channel), JsonContent.Create(request, Json.SubmitAmendment), Json.AmendmentEntry, cancellationToken);

    /// <summary><c>GET .../policy</c>: the review's disclosure policy and every signed statement.</summary>
    public Task<Result<PolicyInfo, ApiError>> GetPolicyAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(MechanismRoutes.Policy, reviewId, null), null, Json.PolicyInfo, cancellationToken);

    /// <summary><c>POST .../policy</c> (focal point of the State under review): a statement its device signed (docs/protocol.md 19.1).</summary>
    public Task<Result<PolicyInfo, ApiError>> SetPolicyAsync(Guid reviewId, ReadOnlyMemory<byte> statement, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Route(MechanismRoutes.Policy, reviewId, null), JsonContent.Create(new SetPolicy(statement.ToArray()), Json.SetPolicy), Json.PolicyInfo, cancellationToken);

    /// <summary><c>POST .../archive/seal</c>: seals the review's archive now (its secretariat); <paramref name="attachments"/> <c>ciphertexts</c> or <c>digests</c>.</summary>
    public Task<Result<SealedBundleInfo, ApiError>> SealArchiveAsync(Guid reviewId, string? attachments = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Route(HttpRoutes.ArchiveSeal, reviewId, null),
            JsonContent.Create(new SealArchive(attachments), Json.SealArchive), Json.SealedBundleInfo, cancellationToken);

    /// <summary><c>GET .../archive/bundles</c>: the review's sealed bundles, oldest first.</summary>
    public Task<Result<SealedBundleList, ApiError>> ListSealedBundlesAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(HttpRoutes.ArchiveBundles, reviewId, null), null, Json.SealedBundleList, cancellationToken);

    /// <summary>
    /// <c>POST .../publications</c> (focal point of the State under review): a publication record built on this device
    /// (docs/protocol.md 18). The same record posted again returns the stored publication.
    /// </summary>
    public Task<Result<PublicationEntry, ApiError>> PublishAsync(Guid reviewId, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        var body = new ReadOnlyMemoryContent(record);
        body.Headers.ContentType = new MediaTypeHeaderValue(PublicationRoutes.MediaType);
        return SendAsync(HttpMethod.Post, Route(PublicationRoutes.Publications, reviewId, null), body, Json.PublicationEntry, cancellationToken);
    }

    /// <summary><c>GET .../publications</c>: the review's publications, withdrawn ones included.</summary>
    public Task<Result<PublicationList, ApiError>> ListPublicationsAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Route(PublicationRoutes.Publications, reviewId, null), null, Json.PublicationList, cancellationToken);

    /// <summary><c>POST .../publications/{id}/withdraw</c> (focal point of the State under review): marks a publication withdrawn.</summary>
    public Task<Result<PublicationEntry, ApiError>> WithdrawPublicationAsync(Guid reviewId, string publicationId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, PublicationRoutes.WithdrawOf(reviewId, publicationId), null, Json.PublicationEntry, cancellationToken);

    /// <summary><c>GET .../archive/bundles/{name}</c>: streams a sealed bundle file (dispose the result).</summary>
    public Task<Result<BlobResponse, ApiError>> GetSealedBundleAsync(Guid reviewId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Route(HttpRoutes.ArchiveBundles, reviewId, null) + "/" + Uri.EscapeDataString(name), UriKind.Relative));
        return GetStreamAsync(request, static response => (0L, response.Content.Headers.ContentLength ?? -1), cancellationToken);
    }

    // Sends a GET whose body is streamed to the caller: a problem document becomes the error; otherwise
    // extent gives where the body starts and the whole length (null: unusable headers).
    private async Task<Result<BlobResponse, ApiError>> GetStreamAsync(
        HttpRequestMessage request, Func<HttpResponseMessage, (long Start, long Total)?> extent, CancellationToken cancellationToken)
    {
        using (request)
        {
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

            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    using (response)
                    {
                        return await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (extent(response) is not { } range)
                {
                    response.Dispose();
                    return ApiError.Unexpected((int)response.StatusCode, "the response has no usable Content-Range or Content-Length");
                }

                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return new BlobResponse(response, stream, range.Start, range.Total);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                response.Dispose();
                return ApiError.NoAnswer("the connection closed while reading the response");
            }
        }
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
