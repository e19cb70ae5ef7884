namespace SecureDialogue.Messaging.Pages.SignIn;

/// <summary>
/// How secretariat staff sign in to the pages (configuration section <c>Identity:Web</c>): OpenID Connect authorization
/// code flow with PKCE against <c>Identity:Authority</c> as a confidential client. When <see cref="ClientId"/> is not
/// set, only the development sign-in exists (embedded profile) and production pages cannot be signed in to.
/// </summary>
internal sealed class PagesSignInOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Identity:Web";

    /// <summary>The client id registered at the provider (e.g. <c>securedialogue-web</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (from a secret store or environment variable, never a committed file).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The provider; default <c>Identity:Authority</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>Refuse a non-HTTPS provider (default true; false only for a provider on loopback in development and tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The callback path registered at the provider (default <c>/signin-oidc</c>).</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>How long a page session lasts (default eight hours; no sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Whether the OpenID Connect sign-in is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(Authority);
}
