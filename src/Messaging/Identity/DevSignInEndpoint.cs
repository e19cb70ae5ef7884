using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

/// <summary><c>POST /dev/token</c>: a development token for any user name. Embedded profile only.</summary>
internal static partial class DevSignInEndpoint
{
    public static Results<Ok<DevTokenResponse>, ProblemHttpResult> Handle(DevTokenRequest? request, DevTokenIssuer issuer, ILogger<DevTokenIssuer> logger)
    {
        if (request is null || !DevTokenIssuer.IsValidUser(request.User))
        {
            return ApiErrors.BadRequest("Send {\"user\":\"NAME\"} with NAME of 1 to 64 characters from A-Z a-z 0-9 . _ @ -; add \"secretariat\":true for secretariat staff.").ToResult();
        }

        var response = issuer.Issue(request);
        Log.Issued(logger, request.User.Length, request.Secretariat);
        return TypedResults.Ok(response);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Development token issued (user name of {Length} characters, secretariat {Secretariat})")]
        public static partial void Issued(ILogger logger, int length, bool secretariat);
    }
}
