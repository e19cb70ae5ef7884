using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Identity;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>
/// <c>sdlg logout</c>: revokes an OpenID Connect sign-in at the provider when it can (best effort) and deletes the
/// profile's tokens. The server URL and the device keys stay. Signing out twice is not an error.
/// </summary>
internal static class LogoutCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var command = new Command("logout", "Sign out: revoke the tokens at the provider when possible and delete them from the profile");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profileResult.TryGetValue(out var profile, out var failure))
            {
                return context.Fail(failure);
            }

            var cache = new TokenCache(profile.Directory);
            var wasSignedIn = File.Exists(cache.FilePath);
            var revoked = false;
            if (wasSignedIn && LoginSettings.Load(profile).TryGetValue(out var settings, out _) && settings is { Issuer: { } issuer, ClientId: { } clientId })
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var client = new OidcClient(new OidcClientOptions { Issuer = issuer, ClientId = clientId, Resource = settings.Resource }, http, context.Time);
                revoked = (await client.SignOutAsync(cache, cancellationToken).ConfigureAwait(false)).Revoked;
            }

            if (File.Exists(cache.FilePath))
            {
                cache.Delete();
            }

            var view = new LogoutView(wasSignedIn, revoked, profile.Directory);
            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.LogoutView, static (v, w) =>
                w.WriteLine(!v.WasSignedIn
                    ? $"Not signed in (profile {v.Profile})."
                    : v.Revoked ? "Signed out; the provider revoked the sign-in." : "Signed out; the tokens were deleted from the profile."));
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>What <c>logout</c> prints.</summary>
/// <param name="WasSignedIn">True when the profile held tokens.</param>
/// <param name="Revoked">True when the identity provider confirmed the revocation.</param>
/// <param name="Profile">The profile directory.</param>
internal sealed record LogoutView(bool WasSignedIn, bool Revoked, string Profile);
