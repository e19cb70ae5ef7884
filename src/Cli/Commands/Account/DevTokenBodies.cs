using System.Text.Json.Serialization;

namespace SecureDialogue.Cli.Commands.Account;

// TEMPORARY until the server branch (src/Contracts DevTokenRequest/DevTokenResponse) is merged: same wire shape.
internal sealed record DevTokenRequest(string User, bool Secretariat = false);

internal sealed record DevTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal static class DevTokenRoute
{
    public const string Path = "/dev/token";
}
