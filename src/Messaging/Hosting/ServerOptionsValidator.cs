using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>Checks <see cref="ServerOptions"/> at start; every problem is reported at once.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (!ServerOptions.TryParseProfile(options.Profile, out _))
        {
            failures.Add($"Server:Profile is '{options.Profile}'; use Embedded (the default: SQLite file, development sign-in) or Production (PostgreSQL, OpenID Connect).");
        }

        if (options.PublicUrl is { } url &&
            (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
             !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)))
        {
            failures.Add($"Server:PublicUrl is '{url}'; it must be an absolute http or https URL without query or fragment.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
