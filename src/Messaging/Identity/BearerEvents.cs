using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// JWT bearer hooks shared by both profiles: the hub's <c>access_token</c> query string, binding the account after
/// validation, and 401 responses as problem details. Tokens are never logged.
/// </summary>
internal sealed partial class BearerEvents(IOptions<SignInOptions> options, ILogger<BearerEvents> logger) : JwtBearerEvents
{
    /// <summary>Browsers cannot set headers on WebSocket requests: SignalR clients send the token in the query string.</summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        var token = context.Request.Query["access_token"];
        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase))
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token || context.Principal?.Identity is not System.Security.Claims.ClaimsIdentity identity)
        {
            context.Fail("Unsupported token.");
            return;
        }

        var issuer = Issuers.Normalize(token.Issuer ?? string.Empty);
        var subject = token.Subject;
        if (issuer.Length is 0 or > AccountBinder.MaxIssuerLength || string.IsNullOrEmpty(subject) || subject.Length > AccountBinder.MaxSubjectLength)
        {
            Log.Refused(logger, typeof(void));
            context.Fail("The token has no usable issuer or subject.");
            return;
        }

        var settings = options.Value;
        var secretariat = identity.Claims.Any(c => c.Type == settings.SecretariatClaim && c.Value == settings.SecretariatValue);
        var displayName = identity.FindFirst(settings.DisplayNameClaim)?.Value;
        var fallbackName = identity.FindFirst(JwtRegisteredClaimNames.PreferredUsername)?.Value;
        var binder = context.HttpContext.RequestServices.GetRequiredService<AccountBinder>();
        var accountId = await binder.BindAsync(issuer, subject, displayName, fallbackName, secretariat, context.HttpContext.RequestAborted).ConfigureAwait(false);
        identity.AddClaims(Caller.ToClaims(accountId, secretariat));
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // The exception type says why (expired, bad signature, wrong issuer or audience) without any token content.
        var reason = context.Exception.GetType();
        Log.Refused(logger, reason);
        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var detail = context.AuthenticateFailure switch
        {
            null => "Send an access token as 'Authorization: Bearer ...' (hubs: or the access_token query parameter).",
            SecurityTokenExpiredException => "The access token has expired; sign in again.",
            _ => "The access token is not valid for this server (issuer, audience, signature or lifetime).",
        };
        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Type = ProblemTypes.Unauthorized, Title = "Sign-in required.", Detail = detail },
        }).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Bearer token refused: {Reason}")]
        public static partial void Refused(ILogger logger, Type reason);
    }
}
