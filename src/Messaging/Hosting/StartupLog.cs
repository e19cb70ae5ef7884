using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "SecureDialogue Messaging listening on {Url} (profile {Profile}, data directory {DataDirectory}, database {Engine})")]
    public static partial void Started(ILogger logger, string url, ServerProfile profile, string dataDirectory, DatabaseEngine engine);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Sign in (development, embedded profile only): POST {TokenUrl} with {{\"user\":\"NAME\"}} (add \"secretariat\":true for secretariat staff) and send the access_token as a Bearer token; or sign in with the sdlg CLI (sdlg login)")]
    public static partial void DevSignIn(ILogger logger, string tokenUrl);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Sign in with the OpenID Connect provider {Authority} (audience {Audience}); development sign-in is off")]
    public static partial void OidcSignIn(ILogger logger, string authority, string audience);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Secretariat pages: {PagesUrl} (development sign-in there: user name 'secretariat', 'Secretariat staff' ticked)")]
    public static partial void Pages(ILogger logger, string pagesUrl);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "DEMO DATA in use (Server:DemoData): the States parties' instruments and the reviews shown are illustrative, not an authoritative record")]
    public static partial void DemoData(ILogger logger);
}
