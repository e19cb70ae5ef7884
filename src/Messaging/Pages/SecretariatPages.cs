using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Pages.SignIn;

namespace SecureDialogue.Messaging.Pages;

internal static class SecretariatPages
{
    /// <summary>The page session (cookie, OpenID Connect when configured) and antiforgery.</summary>
    public static IServiceCollection AddSecretariatPages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPagesAuthentication(configuration);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "sdlg-pages-af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__sdlg_af";
            options.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>Maps the pages (docs/secretariat.md); the OpenID Connect callback is the OAuth handler's own path.</summary>
    public static IEndpointRouteBuilder MapSecretariatPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SecretariatRoutes.Stylesheet, static (HttpContext http) =>
        {
            Layout.SetHeaders(http.Response);
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Layout.Stylesheet, "text/css; charset=utf-8");
        });
        endpoints.MapGet(SecretariatRoutes.SignIn, SignInPages.ShowAsync);
        endpoints.MapPost(SecretariatRoutes.SignOut, (Delegate)SignInPages.SignOutAsync);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<PagesSignInOptions>>().Value.IsConfigured)
        {
            endpoints.MapGet(SecretariatRoutes.OidcSignIn, SignInPages.Challenge);
        }

        if (endpoints.ServiceProvider.GetRequiredService<IOptions<ServerOptions>>().Value.ParsedProfile == ServerProfile.Embedded)
        {
            endpoints.MapPost(SecretariatRoutes.DevSignIn, SignInPages.DevAsync);
        }

        endpoints.MapGet(SecretariatRoutes.Dashboard, DashboardPage.ShowAsync);
        endpoints.MapGet(SecretariatRoutes.Review, ReviewPage.ShowAsync);
        endpoints.MapPost(SecretariatRoutes.ReviewStage, ReviewPage.AdvanceAsync);
        endpoints.MapGet(SecretariatRoutes.Status, StatusPage.ShowAsync);
        endpoints.MapGet(SecretariatRoutes.StatusCsv, StatusPage.CsvAsync);
        endpoints.MapGet(SecretariatRoutes.StatusJson, StatusPage.JsonAsync);
        endpoints.MapGet(SecretariatRoutes.Lots, ImportPages.LotsAsync);
        endpoints.MapPost(SecretariatRoutes.Lots, ImportPages.LotsAsync).WithMetadata(Mechanism.UploadBody.Limit);
        endpoints.MapGet(SecretariatRoutes.States, ImportPages.StatesAsync);
        endpoints.MapPost(SecretariatRoutes.States, ImportPages.StatesAsync).WithMetadata(Mechanism.UploadBody.Limit);
        return endpoints;
    }
}
