namespace SecureDialogue.Messaging.Pages;

internal static class HomePage
{
    // Static, no user input: nothing to encode. The dialogue client will replace this page.
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>SecureDialogue</title>
        </head>
        <body>
          <main>
            <h1>SecureDialogue is running</h1>
            <p>This is the SecureDialogue messaging server: a secure, end-to-end encrypted dialogue platform for
               UN TOC intergovernmental reviews.</p>
            <p>The dialogue interface will appear here. The server only ever stores ciphertext; keys stay on
               each participant's device (see <code>sdlg keys</code>).</p>
            <p>Health: <a href="/healthz">/healthz</a></p>
          </main>
        </body>
        </html>
        """;

    /// <summary>Maps <c>GET /</c>: a plain HTML page saying the server runs.</summary>
    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", static (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Content(Html, "text/html; charset=utf-8");
        });
        return endpoints;
    }
}
