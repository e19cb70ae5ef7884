using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>
/// Fetches and keeps the provider's discovery document and signing keys. The keys are fetched again, at
/// most once a minute, when a token names a key id that is not known (key rotation at the provider).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim never allocates its wait handle (no AvailableWaitHandle): nothing to dispose.")]
internal sealed class ProviderDiscovery
{
    /// <summary>Upper bound of a discovery document or JWKS.</summary>
    private const int MaxDocumentBytes = 512 * 1024;

    private static readonly TimeSpan KeyRefetchFloor = TimeSpan.FromMinutes(1);

    private readonly HttpClient _http;
    private readonly Uri _issuer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ProviderMetadata? _metadata;
    private JsonWebKeySet? _keys;
    private DateTimeOffset _keysFetchedAt;

    public ProviderDiscovery(HttpClient http, Uri issuer, TimeProvider time)
    {
        _http = http;
        _issuer = issuer;
        _time = time;
    }

    /// <summary>The validated discovery document, fetched on first use.</summary>
    public async Task<Result<ProviderMetadata, IdentityError>> GetMetadataAsync(CancellationToken cancellationToken)
    {
        if (_metadata is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_metadata is { } again)
            {
                return again;
            }

            if (!ProviderMetadata.IsSecure(_issuer))
            {
                return new IdentityError(IdentityErrorKind.InsecureEndpoint, $"the issuer {_issuer} is not https (plain http is allowed on 127.0.0.1 only)");
            }

            var document = await GetJsonAsync(ProviderMetadata.DiscoveryUri(_issuer), ProtocolJsonContext.Default.DiscoveryDocument, cancellationToken).ConfigureAwait(false);
            if (!document.TryGetValue(out var discovered, out var error))
            {
                return error;
            }

            var metadata = ProviderMetadata.From(discovered, _issuer);
            if (metadata.IsSuccess)
            {
                _metadata = metadata.Value;
            }

            return metadata;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The provider's signing keys. <paramref name="refresh"/> asks for a fresh copy (rate limited).</summary>
    public async Task<Result<IReadOnlyList<SecurityKey>, IdentityError>> GetSigningKeysAsync(bool refresh, CancellationToken cancellationToken)
    {
        var metadataResult = await GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stale = _keys is null || (refresh && _time.GetUtcNow() - _keysFetchedAt >= KeyRefetchFloor);
            if (stale)
            {
                var raw = await GetStringAsync(metadata.JwksUri, cancellationToken).ConfigureAwait(false);
                if (!raw.TryGetValue(out var json, out var error))
                {
                    return error;
                }

                try
                {
                    _keys = new JsonWebKeySet(json);
                    _keysFetchedAt = _time.GetUtcNow();
                }
                catch (ArgumentException)
                {
                    return new IdentityError(IdentityErrorKind.DiscoveryInvalid, "the provider's JWKS is malformed");
                }
            }

            return Result<IReadOnlyList<SecurityKey>, IdentityError>.Ok([.. _keys!.GetSigningKeys()]);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Result<T, IdentityError>> GetJsonAsync<T>(Uri uri, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var raw = await GetStringAsync(uri, cancellationToken).ConfigureAwait(false);
        if (!raw.TryGetValue(out var json, out var error))
        {
            return error;
        }

        try
        {
            return JsonSerializer.Deserialize(json, typeInfo) is { } value
                ? value
                : new IdentityError(IdentityErrorKind.DiscoveryInvalid, $"{uri} returned an empty document");
        }
        catch (JsonException)
        {
            return new IdentityError(IdentityErrorKind.DiscoveryInvalid, $"{uri} did not return a JSON document");
        }
    }

    private async Task<Result<string, IdentityError>> GetStringAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var kind = (int)response.StatusCode >= 500 ? IdentityErrorKind.ProviderUnreachable : IdentityErrorKind.DiscoveryInvalid;
                return new IdentityError(kind, $"{uri} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                return new IdentityError(IdentityErrorKind.DiscoveryInvalid, $"{uri} returned a document over {MaxDocumentBytes} bytes");
            }

            return await HttpBodies.ReadBoundedStringAsync(response.Content, MaxDocumentBytes, cancellationToken).ConfigureAwait(false) is { } body
                ? body
                : new IdentityError(IdentityErrorKind.DiscoveryInvalid, $"{uri} returned a document over {MaxDocumentBytes} bytes");
        }
        catch (HttpRequestException e)
        {
            return new IdentityError(IdentityErrorKind.ProviderUnreachable, $"cannot reach {uri}: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new IdentityError(IdentityErrorKind.ProviderUnreachable, $"{uri} did not answer in time");
        }
    }
}
