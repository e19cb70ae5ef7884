namespace SecureDialogue.Messaging.Pages;

/// <summary>The secretariat's server-rendered pages (docs/secretariat.md).</summary>
internal static class SecretariatRoutes
{
    public const string Dashboard = "/secretariat";
    public const string Review = "/secretariat/reviews/{reviewId:guid}";
    public const string ReviewStage = "/secretariat/reviews/{reviewId:guid}/stage";
    public const string Status = "/secretariat/status";
    public const string StatusCsv = "/secretariat/status.csv";
    public const string StatusJson = "/secretariat/status.json";
    public const string Lots = "/secretariat/lots";
    public const string States = "/secretariat/states";
    public const string SignIn = "/secretariat/sign-in";
    public const string DevSignIn = "/secretariat/sign-in/dev";
    public const string OidcSignIn = "/secretariat/sign-in/oidc";
    public const string SignOut = "/secretariat/sign-out";
    public const string Stylesheet = "/secretariat/site.css";

    public static string ReviewOf(Guid reviewId) => $"/secretariat/reviews/{reviewId}";

    public static string ReviewStageOf(Guid reviewId) => $"/secretariat/reviews/{reviewId}/stage";
}
