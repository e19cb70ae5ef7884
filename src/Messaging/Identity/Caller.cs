using System.Globalization;
using System.Security.Claims;

namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// The signed-in account making a request or hub call, as bound when its token was validated. Endpoints take it as a
/// parameter; hubs read it from <c>Context.User</c>.
/// </summary>
/// <param name="AccountId">The account bound to the token's (issuer, subject).</param>
/// <param name="IsSecretariat">Whether the token carries the secretariat role.</param>
internal sealed record Caller(Guid AccountId, bool IsSecretariat)
{
    /// <summary>Claim added after validation: the account id.</summary>
    public const string AccountClaim = "sdlg_account";

    /// <summary>Claim added after validation: <c>true</c> for secretariat staff.</summary>
    public const string SecretariatClaim = "sdlg_secretariat";

    /// <summary>The caller of an authenticated principal, or null when it was not bound to an account.</summary>
    public static Caller? From(ClaimsPrincipal? user)
    {
        var account = user?.FindFirst(AccountClaim)?.Value;
        if (account is null || !Guid.TryParse(account, out var id))
        {
            return null;
        }

        var secretariat = string.Equals(user!.FindFirst(SecretariatClaim)?.Value, bool.TrueString, StringComparison.OrdinalIgnoreCase);
        return new Caller(id, secretariat);
    }

    /// <summary>Minimal API binding.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    /// <summary>The claims that carry a caller.</summary>
    public static IEnumerable<Claim> ToClaims(Guid accountId, bool isSecretariat) =>
    [
        new(AccountClaim, accountId.ToString("D", CultureInfo.InvariantCulture)),
        new(SecretariatClaim, isSecretariat ? bool.TrueString : bool.FalseString),
    ];
}
