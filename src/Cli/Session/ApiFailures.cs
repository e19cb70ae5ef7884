using SecureDialogue.Client.Api;
using SecureDialogue.Contracts;

namespace SecureDialogue.Cli.Session;

/// <summary>Turns the server's answers (problem details, or none) into exit codes and one-line messages.</summary>
internal static class ApiFailures
{
    /// <summary>The failure for <paramref name="error"/> while trying to <paramref name="action"/> (e.g. "list reviews").</summary>
    public static CommandFailure Of(ApiError error, Uri server, string action)
    {
        if (error.Is(ApiError.Unreachable))
        {
            return new(ExitCodes.ServerUnreachable, $"cannot reach the server at {server} to {action} ({error.Detail ?? "no answer"}); is it running?");
        }

        if (error.IsTransient)
        {
            return new(ExitCodes.ServerUnreachable, $"the server at {server} could not {action} now ({error.Status} {error.Title}); try again later");
        }

        if (error.Status == 401)
        {
            return new(ExitCodes.NotSignedIn, $"the server refused the sign-in (expired, revoked or from another issuer) while trying to {action}: run 'sdlg login' again");
        }

        if (error.Is(ApiError.UnexpectedResponse))
        {
            return new(ExitCodes.Failed, $"the server at {server} gave an unexpected answer while trying to {action} ({error.Detail}); is it a SecureDialogue server?");
        }

        var code = ProblemTypes.CodeOf(error.Type);
        var detail = string.IsNullOrWhiteSpace(error.Detail) ? error.Title : error.Detail;
        string reason = error.Status switch
        {
            403 => "forbidden",
            404 => "not found",
            409 => "conflict",
            _ => code,
        };
        return new(ExitCodes.Refused, $"the server refused to {action}: {reason}{(string.IsNullOrWhiteSpace(detail) ? "" : $" ({detail})")}");
    }
}
