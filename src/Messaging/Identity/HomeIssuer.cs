using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// The issuer under which the secretariat pre-provisions members by subject: the development issuer in the embedded
/// profile, the configured OpenID Connect authority in production (normalised: no trailing slash).
/// </summary>
internal sealed class HomeIssuer(IOptions<ServerOptions> server, IOptions<SignInOptions> options, ServerAddress address)
{
    public string Name => server.Value.ParsedProfile == ServerProfile.Embedded
        ? DevTokenIssuer.IssuerFor(options.Value, address)
        : Issuers.Normalize(options.Value.Authority ?? string.Empty);
}
