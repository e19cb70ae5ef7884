using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>
/// The answer of an OAuth endpoint to a form POST: the parsed success body, an OAuth error code (RFC 6749
/// section 5.2), or a transport failure.
/// </summary>
internal readonly record struct OAuthResponse<T>(T? Value, string? ErrorCode, string? ErrorDescription, IdentityError? Failure)
    where T : class
{
    public bool IsSuccess => Value is not null;

    /// <summary>One line naming the OAuth error, with the provider's description cut to a printable length.</summary>
    public string DescribeError() =>
        string.IsNullOrEmpty(ErrorDescription) ? $"{ErrorCode}" : $"{ErrorCode}: {ErrorDescription}";
}

/// <summary>Form POSTs to the token, device authorization and revocation endpoints of a public client.</summary>
internal static class OAuthRequest
{
    private const int MaxResponseBytes = 256 * 1024;
    private const int MaxDescriptionLength = 200;

    public static async Task<OAuthResponse<T>> PostFormAsync<T>(
        HttpClient http, Uri endpoint, IEnumerable<KeyValuePair<string, string>> form, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await HttpBodies.ReadBoundedStringAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return Fail<T>(IdentityErrorKind.TokenResponseInvalid, $"{endpoint} returned more than {MaxResponseBytes} bytes");
            }

            if (response.IsSuccessStatusCode)
            {
                return TryParse(body, typeInfo) is { } value
                    ? new OAuthResponse<T>(value, null, null, null)
                    : Fail<T>(IdentityErrorKind.TokenResponseInvalid, $"{endpoint} returned a body that is not the expected JSON");
            }

            if (TryParse(body, ProtocolJsonContext.Default.OAuthErrorResponse) is { Error: { Length: > 0 } code } error)
            {
                return new OAuthResponse<T>(null, Printable(code), error.ErrorDescription is { } d ? Printable(d) : null, null);
            }

            var kind = (int)response.StatusCode >= 500 ? IdentityErrorKind.ProviderUnreachable : IdentityErrorKind.ProviderError;
            return Fail<T>(kind, $"{endpoint} answered HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return Fail<T>(IdentityErrorKind.ProviderUnreachable, $"cannot reach {endpoint}: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail<T>(IdentityErrorKind.ProviderUnreachable, $"{endpoint} did not answer in time");
        }
    }

    private static OAuthResponse<T> Fail<T>(IdentityErrorKind kind, string detail)
        where T : class =>
        new(null, null, null, new IdentityError(kind, detail));

    private static TValue? TryParse<TValue>(string body, JsonTypeInfo<TValue> typeInfo)
        where TValue : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Provider text made safe for one terminal line: no control characters, bounded length.</summary>
    private static string Printable(string text)
    {
        var cleaned = new string([.. text.Where(c => !char.IsControl(c))]);
        return cleaned.Length <= MaxDescriptionLength ? cleaned : cleaned[..MaxDescriptionLength] + "...";
    }
}
