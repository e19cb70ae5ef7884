using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

/// <summary>Issues development tokens (embedded profile only): subject = the user name, audience <c>securedialogue</c>.</summary>
internal sealed partial class DevTokenIssuer(DevSigningKey key, IOptions<SignInOptions> options, ServerAddress address, TimeProvider time)
{
    /// <summary>The issuer of development tokens: <c>Identity:DevIssuer</c>, else the server's base URL + <c>/dev</c>.</summary>
    public string Issuer => IssuerFor(options.Value, address);

    /// <summary>The development issuer for these settings.</summary>
    public static string IssuerFor(SignInOptions options, ServerAddress address) =>
        Issuers.Normalize(options.DevIssuer ?? address.ConfiguredBase + "/dev");

    /// <summary>Whether <paramref name="user"/> is an acceptable development user name.</summary>
    public static bool IsValidUser(string? user) => user is not null && UserName().IsMatch(user);

    /// <summary>A signed token for <paramref name="request"/>; the caller has checked the user name.</summary>
    public DevTokenResponse Issue(DevTokenRequest request)
    {
        var now = time.GetUtcNow();
        var lifetime = options.Value.DevTokenLifetime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = request.User,
            [JwtRegisteredClaimNames.PreferredUsername] = request.User,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (request.Secretariat)
        {
            claims[options.Value.SecretariatClaim] = new[] { options.Value.SecretariatValue };
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = SignInOptions.DevAudience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return new DevTokenResponse(handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();
}

/// <summary>Issuer spelling: accounts bind to the issuer without a trailing slash, so <c>https://x/</c> and <c>https://x</c> are one.</summary>
internal static class Issuers
{
    public static string Normalize(string issuer) => issuer.TrimEnd('/');
}
