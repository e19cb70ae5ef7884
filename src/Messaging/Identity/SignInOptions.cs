namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// How callers sign in (configuration section <c>Identity</c>). Both profiles validate JWT bearer tokens; the embedded
/// profile issues them itself (<c>POST /dev/token</c>), production trusts an external OpenID Connect provider.
/// </summary>
internal sealed class SignInOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Identity";

    /// <summary>The audience of development tokens.</summary>
    public const string DevAudience = "securedialogue";

    /// <summary>Production: the OpenID Connect issuer URL; its discovery document and JWKS are fetched from there.</summary>
    public string? Authority { get; set; }

    /// <summary>Production: the audience tokens must carry (the API's client id or resource at the provider).</summary>
    public string? Audience { get; set; }

    /// <summary>Production: refuse a non-HTTPS authority (default true; false only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The claim that marks secretariat staff (default <c>roles</c>) and the value it must contain (default
    /// <c>secretariat</c>). Development tokens use the same claim. Configure the provider to release it, e.g. as a
    /// client role mapped into the access token.
    /// </summary>
    public string SecretariatClaim { get; set; } = "roles";

    /// <summary>The value of <see cref="SecretariatClaim"/> that marks secretariat staff.</summary>
    public string SecretariatValue { get; set; } = "secretariat";

    /// <summary>The claim holding a new account's display name (default <c>name</c>; then <c>preferred_username</c>, then the subject).</summary>
    public string DisplayNameClaim { get; set; } = "name";

    /// <summary>Embedded: the development issuer. Default: the server's base URL followed by <c>/dev</c>.</summary>
    public string? DevIssuer { get; set; }

    /// <summary>Embedded: lifetime of development tokens (default one hour, at most one day).</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
