using Microsoft.IdentityModel.JsonWebTokens;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// Who is signed in, from the claims of a validated id_token: the account is (<see cref="Issuer"/>,
/// <see cref="Subject"/>); the rest is for display. The server decides what the account may do.
/// </summary>
/// <param name="Issuer">The issuer (<c>iss</c>).</param>
/// <param name="Subject">The subject at the issuer (<c>sub</c>).</param>
/// <param name="Name">Display name (<c>name</c>), if the provider sends it.</param>
/// <param name="PreferredUsername">Login name (<c>preferred_username</c>), if the provider sends it.</param>
/// <param name="Email">E-mail address (<c>email</c>), if the provider sends it.</param>
/// <param name="Roles">Staff roles (<c>roles</c>); empty when none.</param>
public sealed record SignedInIdentity(
    string Issuer,
    string Subject,
    string? Name,
    string? PreferredUsername,
    string? Email,
    IReadOnlyList<string> Roles)
{
    /// <summary>The best name to show: <see cref="Name"/>, else <see cref="PreferredUsername"/>, else <see cref="Subject"/>.</summary>
    public string DisplayName => Name ?? PreferredUsername ?? Subject;

    /// <summary>True when the provider lists the <c>secretariat</c> role (shown only; the server enforces roles).</summary>
    public bool IsSecretariat => Roles.Contains(IdentityClaims.SecretariatRole, StringComparer.Ordinal);

    /// <summary>Reads the identity claims of a token that was validated (or, for display only, decoded).</summary>
    internal static SignedInIdentity FromToken(JsonWebToken token) => new(
        token.Issuer,
        token.Subject,
        StringClaim(token, IdentityClaims.Name),
        StringClaim(token, IdentityClaims.PreferredUsername),
        StringClaim(token, IdentityClaims.Email),
        RolesOf(token));

    private static string? StringClaim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string[] RolesOf(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<string[]>(IdentityClaims.Roles, out var many) && many is not null)
        {
            return [.. many.Where(r => !string.IsNullOrEmpty(r))];
        }

        if (token.TryGetPayloadValue<string>(IdentityClaims.Roles, out var one) && !string.IsNullOrEmpty(one))
        {
            return [one];
        }

        return [];
    }

    /// <inheritdoc />
    public bool Equals(SignedInIdentity? other) =>
        other is not null && Issuer == other.Issuer && Subject == other.Subject && Name == other.Name
        && PreferredUsername == other.PreferredUsername && Email == other.Email && Roles.SequenceEqual(other.Roles);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Issuer, Subject);
}
