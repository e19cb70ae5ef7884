namespace SecureDialogue.Messaging.Pages.Portal;

/// <summary>The publication portal's server-rendered pages (docs/server.md "Publication portal"); no sign-in for public items.</summary>
internal static class PortalRoutes
{
    public const string Index = "/publications";
    public const string Item = "/publications/{publicationId}";
    public const string Record = "/publications/{publicationId}/record.sdpub";
    public const string Document = "/publications/{publicationId}/documents/{segment:int}";

    public static string DocumentOf(string publicationId, int segment) => $"/publications/{publicationId}/documents/{segment}";
}
