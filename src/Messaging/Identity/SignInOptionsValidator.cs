using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

/// <summary>Checks <see cref="SignInOptions"/> against the profile at start; every problem is reported at once.</summary>
internal sealed class SignInOptionsValidator(IOptions<ServerOptions> server) : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var failures = new List<string>();
        if (server.Value.ParsedProfile == ServerProfile.Production)
        {
            if (string.IsNullOrWhiteSpace(options.Authority))
            {
                failures.Add("Identity:Authority is required in the Production profile: the OpenID Connect issuer URL (e.g. https://login.example.org/realms/untoc).");
            }
            else if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) ||
                     (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"Identity:Authority is '{options.Authority}'; it must be an absolute https URL.");
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata)
            {
                failures.Add($"Identity:Authority '{options.Authority}' is not https; use https, or set Identity:RequireHttpsMetadata=false for a provider on loopback.");
            }

            if (string.IsNullOrWhiteSpace(options.Audience))
            {
                failures.Add("Identity:Audience is required in the Production profile: the audience (client id or resource) the provider puts in access tokens for this server.");
            }

            if (!string.IsNullOrWhiteSpace(options.DevIssuer))
            {
                failures.Add("Identity:DevIssuer is set, but development sign-in exists only in the Embedded profile: remove it.");
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(options.Authority) || !string.IsNullOrWhiteSpace(options.Audience))
            {
                failures.Add("Identity:Authority and Identity:Audience are used only by the Production profile (the Embedded profile signs in with POST /dev/token): remove them, or set Server:Profile=Production.");
            }

            if (options.DevTokenLifetime <= TimeSpan.Zero || options.DevTokenLifetime > TimeSpan.FromDays(1))
            {
                failures.Add($"Identity:DevTokenLifetime is {options.DevTokenLifetime}; it must be more than zero and at most one day.");
            }

            if (options.DevIssuer is { } issuer && !Uri.TryCreate(issuer, UriKind.Absolute, out _))
            {
                failures.Add($"Identity:DevIssuer is '{issuer}'; it must be an absolute URL.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.SecretariatClaim) || string.IsNullOrWhiteSpace(options.SecretariatValue))
        {
            failures.Add("Identity:SecretariatClaim and Identity:SecretariatValue must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
