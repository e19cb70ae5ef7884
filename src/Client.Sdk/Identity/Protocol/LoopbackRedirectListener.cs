using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>What the provider sent back to the redirect URI (RFC 6749 section 4.1.2, RFC 9207).</summary>
internal sealed record AuthorizationCallback(string? Code, string? Error, string? ErrorDescription, string? Issuer)
{
    /// <summary>Never shows the code.</summary>
    public override string ToString() => Error is null ? "AuthorizationCallback(code)" : $"AuthorizationCallback({Error})";
}

/// <summary>
/// The loopback redirect of a native app (RFC 8252 sections 7.3 and 8.3): a Kestrel server on
/// 127.0.0.1 and a port the system picks, answering one path. Only a request that carries the pending
/// sign-in's <c>state</c> completes it; anything else gets 400 or 404 and the listener keeps waiting, so
/// another local process cannot end or hijack the sign-in by calling the port first.
/// </summary>
internal sealed partial class LoopbackRedirectListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _path;
    private readonly byte[] _expectedState;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<AuthorizationCallback> _callback = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private LoopbackRedirectListener(WebApplication app, string path, string expectedState, ILogger logger)
    {
        _app = app;
        _path = path;
        _expectedState = Encoding.UTF8.GetBytes(expectedState);
        _logger = logger;
    }

    /// <summary>The redirect URI to send in the authorization request: <c>http://127.0.0.1:PORT/PATH</c>.</summary>
    public Uri RedirectUri { get; private set; } = null!;

    /// <summary>Starts listening on 127.0.0.1 and a free port.</summary>
    public static async Task<LoopbackRedirectListener> StartAsync(string path, string expectedState, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = 0;
        });
        var app = builder.Build();
        var listener = new LoopbackRedirectListener(app, path, expectedState, logger);
        app.Run(listener.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            listener.RedirectUri = new Uri($"http://127.0.0.1:{new Uri(address).Port}{path}");
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogListening(logger, listener.RedirectUri.Port);
        return listener;
    }

    /// <summary>Waits for the provider's redirect; <c>null</c> when <paramref name="timeout"/> passed first.</summary>
    public async Task<AuthorizationCallback?> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await _callback.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _callback.TrySetCanceled();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.ContentSecurityPolicy = "default-src 'none'";
        if (!HttpMethods.IsGet(context.Request.Method) || !string.Equals(context.Request.Path.Value, _path, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var query = context.Request.Query;
        var state = query["state"];
        if (state.Count != 1 || !StateMatches(state[0]!))
        {
            LogIgnored(_logger, "no matching state");
            await Page(response, StatusCodes.Status400BadRequest, "This response does not belong to the pending sign-in.").ConfigureAwait(false);
            return;
        }

        var callback = new AuthorizationCallback(Single(query["code"]), Single(query["error"]), Single(query["error_description"]), Single(query["iss"]));
        if (!_callback.TrySetResult(callback))
        {
            LogIgnored(_logger, "sign-in already answered");
            await Page(response, StatusCodes.Status409Conflict, "This sign-in was already answered.").ConfigureAwait(false);
            return;
        }

        var message = callback.Error is null
            ? "Signed in. You can close this window and return to sdlg."
            : "The sign-in did not succeed. Return to sdlg for details.";
        await Page(response, StatusCodes.Status200OK, message).ConfigureAwait(false);
    }

    private bool StateMatches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _expectedState);

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;

    private static Task Page(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SecureDialogue sign-in</title></head><body><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
    }
}
