namespace SecureDialogue.Contracts;

/// <summary>
/// The token claims SecureDialogue reads, from an OpenID Connect provider's id_token and access token or from
/// the embedded profile's development sign-in. An account is bound to (<c>iss</c>, <c>sub</c>); the other
/// claims are for display and for staff roles. See docs/identity.md.
/// </summary>
public static class IdentityClaims
{
    /// <summary>The issuer: with <see cref="Subject"/>, the account's identity.</summary>
    public const string Issuer = "iss";

    /// <summary>The subject: stable identifier of the person at the issuer.</summary>
    public const string Subject = "sub";

    /// <summary>Display name.</summary>
    public const string Name = "name";

    /// <summary>Login name at the provider, shown when there is no <see cref="Name"/>.</summary>
    public const string PreferredUsername = "preferred_username";

    /// <summary>E-mail address (display only; never an identity).</summary>
    public const string Email = "email";

    /// <summary>Staff roles: a JSON array of strings (a single string is accepted too).</summary>
    public const string Roles = "roles";

    /// <summary>The role value that marks secretariat staff.</summary>
    public const string SecretariatRole = "secretariat";

    /// <summary>The access token audience of the SecureDialogue API by default.</summary>
    public const string DefaultAudience = "securedialogue";
}
