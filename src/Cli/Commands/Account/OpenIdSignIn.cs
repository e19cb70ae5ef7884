using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Identity;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>
/// Signs in at an OpenID Connect provider with the device authorization grant (default: sdlg prints a URL and a
/// code to enter on any device, then polls) or with the browser (authorization code with PKCE and a loopback
/// redirect: sdlg prints the URL to open and waits for the browser to come back). Instructions go to standard
/// error, so standard output keeps only the result.
/// </summary>
internal static class OpenIdSignIn
{
    public static async Task<Result<TokenSet, CommandFailure>> SignInAsync(
        CliContext context, OidcClientOptions options, bool browser, Profile profile, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new OidcClient(options, http, context.Time);
        Result<TokenSet, IdentityError> signedIn;
        if (browser)
        {
            var started = await client.StartBrowserSignInAsync(cancellationToken).ConfigureAwait(false);
            if (!started.TryGetValue(out var signIn, out var error))
            {
                return IdentityFailures.Of(error, profile);
            }

            await using (signIn.ConfigureAwait(false))
            {
                context.Error.WriteLine("To sign in, open this URL in a browser on this machine:");
                context.Error.WriteLine($"  {signIn.AuthorizationUri.AbsoluteUri}");
                context.Error.WriteLine($"Waiting for the browser to return to {signIn.RedirectUri} ...");
                context.Error.Flush();
                signedIn = await client.CompleteBrowserSignInAsync(signIn, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var started = await client.StartDeviceAuthorizationAsync(cancellationToken).ConfigureAwait(false);
            if (!started.TryGetValue(out var device, out var error))
            {
                return IdentityFailures.Of(error, profile);
            }

            context.Error.WriteLine($"To sign in, open {device.VerificationUri.AbsoluteUri} and enter the code {device.UserCode}");
            if (device.VerificationUriComplete is { } complete)
            {
                context.Error.WriteLine($"  (or open {complete.AbsoluteUri})");
            }

            context.Error.WriteLine($"Waiting for the sign-in (the code expires at {Output.Times.Format(device.ExpiresAt)}) ...");
            context.Error.Flush();
            signedIn = await client.CompleteDeviceAuthorizationAsync(device, cancellationToken).ConfigureAwait(false);
        }

        return signedIn.TryGetValue(out var tokens, out var signInError) ? tokens : IdentityFailures.Of(signInError, profile);
    }
}
