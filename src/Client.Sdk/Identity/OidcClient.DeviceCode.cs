using SecureDialogue.Client.Identity.Protocol;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>The device authorization grant (RFC 8628).</summary>
public sealed partial class OidcClient
{
    private const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>RFC 8628 section 3.5: after slow_down, poll 5 seconds less often.</summary>
    private static readonly TimeSpan SlowDownIncrement = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(60);
    private const int MaxConsecutiveTransientFailures = 5;

    /// <summary>
    /// Starts a device authorization: the provider returns a user code and a verification URI to show to
    /// the person, who signs in on any device with a browser.
    /// </summary>
    public async Task<Result<DeviceAuthorization, IdentityError>> StartDeviceAuthorizationAsync(CancellationToken cancellationToken = default)
    {
        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        if (metadata.DeviceAuthorizationEndpoint is not { } endpoint)
        {
            return new IdentityError(IdentityErrorKind.NotSupported, $"{metadata.Issuer} offers no device authorization endpoint: sign in with the browser instead");
        }

        var form = WithResource([new("client_id", _options.ClientId), new("scope", _options.Scope)]);
        var response = await OAuthRequest.PostFormAsync(_http, endpoint, form, ProtocolJsonContext.Default.DeviceAuthorizationResponse, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return response.Failure ?? new IdentityError(IdentityErrorKind.ProviderError, $"device authorization refused: {response.DescribeError()}");
        }

        var body = response.Value!;
        if (string.IsNullOrEmpty(body.DeviceCode) || string.IsNullOrEmpty(body.UserCode)
            || !Uri.TryCreate(body.VerificationUri, UriKind.Absolute, out var verificationUri))
        {
            return new IdentityError(IdentityErrorKind.TokenResponseInvalid, "the device authorization response lacks device_code, user_code or verification_uri");
        }

        if (!ProviderMetadata.IsSecure(verificationUri))
        {
            return new IdentityError(IdentityErrorKind.InsecureEndpoint, $"the verification URI {verificationUri} is not https");
        }

        Uri? complete = null;
        if (body.VerificationUriComplete is { } completeText
            && (!Uri.TryCreate(completeText, UriKind.Absolute, out complete) || !ProviderMetadata.IsSecure(complete)))
        {
            complete = null;
        }

        var lifetime = body.ExpiresIn is > 0 and < 86_400 ? TimeSpan.FromSeconds(body.ExpiresIn.Value) : TimeSpan.FromMinutes(5);
        var interval = body.Interval is > 0 and < 3600 ? TimeSpan.FromSeconds(body.Interval.Value) : _options.DefaultPollingInterval;
        var authorization = new DeviceAuthorization(body.DeviceCode, body.UserCode, verificationUri, complete, _time.GetUtcNow() + lifetime, interval);
        LogDeviceAuthorizationStarted(_logger, (long)lifetime.TotalSeconds, interval.TotalSeconds);
        return authorization;
    }

    /// <summary>
    /// Polls the token endpoint until the person has signed in, refused, or the codes expired, honouring the
    /// provider's interval and <c>slow_down</c> (RFC 8628 section 3.5). Connection failures back off
    /// exponentially; five in a row end the sign-in.
    /// </summary>
    public async Task<Result<TokenSet, IdentityError>> CompleteDeviceAuthorizationAsync(DeviceAuthorization authorization, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var metadataResult = await _discovery.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (!metadataResult.TryGetValue(out var metadata, out var metadataError))
        {
            return metadataError;
        }

        var expired = new IdentityError(IdentityErrorKind.DeviceCodeExpired, "the code expired before the sign-in was completed: start again");
        var interval = authorization.Interval;
        var transientFailures = 0;
        var form = WithResource(
        [
            new("grant_type", DeviceCodeGrantType),
            new("device_code", authorization.DeviceCode),
            new("client_id", _options.ClientId),
        ]);

        while (true)
        {
            var remaining = authorization.ExpiresAt - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return expired;
            }

            await Task.Delay(interval < remaining ? interval : remaining, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetUtcNow() >= authorization.ExpiresAt)
            {
                return expired;
            }

            var response = await OAuthRequest.PostFormAsync(_http, metadata.TokenEndpoint, form, ProtocolJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return await ToTokenSetAsync("device_code", response.Value!, expectedNonce: null, previous: null, cancellationToken).ConfigureAwait(false);
            }

            if (response.Failure is { } failure)
            {
                if (failure.Kind != IdentityErrorKind.ProviderUnreachable || ++transientFailures >= MaxConsecutiveTransientFailures)
                {
                    return failure;
                }

                interval = Min(interval * 2, MaxPollingInterval);
                LogDevicePollTransientFailure(_logger, transientFailures, interval.TotalSeconds);
                continue;
            }

            transientFailures = 0;
            switch (response.ErrorCode)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval = Min(interval + SlowDownIncrement, MaxPollingInterval);
                    LogDevicePollSlowDown(_logger, interval.TotalSeconds);
                    continue;
                case "access_denied":
                    return new IdentityError(IdentityErrorKind.AccessDenied, "the sign-in was refused at the provider");
                case "expired_token":
                    return expired;
                default:
                    LogTokensRejected(_logger, "device_code", IdentityErrorKind.ProviderError);
                    return new IdentityError(IdentityErrorKind.ProviderError, $"device sign-in failed: {response.DescribeError()}");
            }
        }
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;
}
