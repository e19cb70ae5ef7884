using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Identity;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>
/// The embedded server's development sign-in: <c>POST /dev/token {"user":NAME,"secretariat":BOOL}</c> returns a JWT
/// that the server itself issued (docs/identity.md). Anyone who reaches that server can sign in as anyone: it is for
/// one machine, development and demos.
/// </summary>
internal static class DevelopmentSignIn
{
    public static async Task<Result<TokenSet, CommandFailure>> SignInAsync(Uri server, string user, bool secretariat, CancellationToken cancellationToken)
    {
        using var http = ServerHttp.Create(server, TimeSpan.FromSeconds(30));
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri(HttpRoutes.DevToken.TrimStart('/'), UriKind.Relative),
                new DevTokenRequest(user, secretariat), CliJsonContext.Default.DevTokenRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new CommandFailure(ExitCodes.ServerUnreachable, $"cannot reach the server at {server} ({e.HttpRequestError}); is it running? (./run.sh starts the embedded server)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CommandFailure(ExitCodes.ServerUnreachable, $"the server at {server} did not answer in time");
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                    return new CommandFailure(ExitCodes.Refused,
                        $"the server at {server} offers no development sign-in (only the embedded profile does): sign in with --issuer URL");
                case HttpStatusCode.BadRequest:
                    return new CommandFailure(ExitCodes.Usage, $"the server refused the user name '{user}' (1-64 of A-Z a-z 0-9 . _ @ -)");
                case >= HttpStatusCode.InternalServerError:
                    return new CommandFailure(ExitCodes.ServerUnreachable, $"the server at {server} failed to sign in ({(int)response.StatusCode}); try again later");
                case var status when !response.IsSuccessStatusCode:
                    return new CommandFailure(ExitCodes.Refused, $"the server at {server} refused the development sign-in ({(int)status})");
            }

            DevTokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(CliJsonContext.Default.DevTokenResponse, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body is not { AccessToken.Length: > 0 })
            {
                return new CommandFailure(ExitCodes.Failed, $"the server at {server} answered the development sign-in without a token; is it a SecureDialogue server?");
            }

            var tokens = TokenSet.FromDevelopmentSignIn(body.AccessToken);
            return tokens.TryGetValue(out var value, out var error)
                ? value
                : new CommandFailure(ExitCodes.Failed, $"the development sign-in returned an unusable token: {error.Detail}");
        }
    }
}
