using System.Text.Json;
using SecureDialogue.Cli.Output;
using SecureDialogue.Client.Profile;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Session;

/// <summary>
/// What <c>sdlg login</c> remembers besides the tokens (<c>tokens.json</c>): the server, and for an OpenID Connect
/// sign-in the provider and client id needed to refresh. Saved as <c>login.json</c> in the profile (0600). No secret.
/// </summary>
/// <param name="Server">The SecureDialogue server's base URL.</param>
/// <param name="Issuer">The OpenID Connect issuer; null for the embedded server's development sign-in.</param>
/// <param name="ClientId">The public client id at the issuer; null for the development sign-in.</param>
/// <param name="Resource">The RFC 8707 resource indicator sent to the issuer, if any.</param>
internal sealed record LoginSettings(Uri Server, Uri? Issuer, string? ClientId, string? Resource)
{
    private const long MaxFileBytes = 64 * 1024;

    /// <summary>The id of this profile's device as <c>login</c> registered it (to mark it without unlocking the key store).</summary>
    public string? DeviceId { get; init; }

    /// <summary>The file format version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>True for the embedded server's development sign-in (no provider, no refresh).</summary>
    public bool IsDevelopment => Issuer is null;

    /// <summary>Reads the profile's settings; a missing file is "not signed in" (exit 5).</summary>
    public static Result<LoginSettings, CommandFailure> Load(Profile profile)
    {
        byte[]? bytes;
        try
        {
            bytes = AtomicStateFile.Read(profile.LoginPath, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot read {profile.LoginPath}: {e.Message}");
        }

        if (bytes is null)
        {
            return NotSignedIn(profile);
        }

        try
        {
            var settings = JsonSerializer.Deserialize(bytes, CliJsonContext.Default.LoginSettings);
            if (settings is { Version: 1 } && settings.Server is { IsAbsoluteUri: true })
            {
                return settings;
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        return new CommandFailure(ExitCodes.NotSignedIn, $"{profile.LoginPath} is not readable by this sdlg: sign in again with 'sdlg login'");
    }

    /// <summary>Writes the settings atomically, owner-only.</summary>
    public CommandFailure? Save(Profile profile)
    {
        try
        {
            AtomicStateFile.Write(profile.LoginPath, JsonSerializer.SerializeToUtf8Bytes(this, CliJsonContext.Default.LoginSettings));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot write {profile.LoginPath}: {e.Message}");
        }
    }

    /// <summary>The failure of a command that needs a sign-in on a profile without one.</summary>
    public static CommandFailure NotSignedIn(Profile profile) =>
        new(ExitCodes.NotSignedIn, $"not signed in (profile {profile.Directory}): run 'sdlg login --server URL --dev-user NAME' or 'sdlg login --server URL --issuer URL'");
}
