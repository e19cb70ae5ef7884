using System.Diagnostics;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// A started device authorization (RFC 8628): show <see cref="UserCode"/> and <see cref="VerificationUri"/>
/// to the person, then call <see cref="OidcClient.CompleteDeviceAuthorizationAsync"/>. The device code itself
/// is a secret and stays inside.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class DeviceAuthorization
{
    internal DeviceAuthorization(string deviceCode, string userCode, Uri verificationUri, Uri? verificationUriComplete, DateTimeOffset expiresAt, TimeSpan interval)
    {
        DeviceCode = deviceCode;
        UserCode = userCode;
        VerificationUri = verificationUri;
        VerificationUriComplete = verificationUriComplete;
        ExpiresAt = expiresAt;
        Interval = interval;
    }

    /// <summary>The code the person types at <see cref="VerificationUri"/>.</summary>
    public string UserCode { get; }

    /// <summary>Where the person signs in (on any device with a browser).</summary>
    public Uri VerificationUri { get; }

    /// <summary>The verification page with the user code filled in, when the provider offers it.</summary>
    public Uri? VerificationUriComplete { get; }

    /// <summary>When the codes expire.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The polling interval the provider asked for (or the default).</summary>
    public TimeSpan Interval { get; }

    /// <summary>The device code (secret): sent to the token endpoint only.</summary>
    internal string DeviceCode { get; }

    /// <summary>Shows the user code and the verification URI, never the device code.</summary>
    public override string ToString() => $"DeviceAuthorization({UserCode} at {VerificationUri}, until {ExpiresAt:u})";
}
