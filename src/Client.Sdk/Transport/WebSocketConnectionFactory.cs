using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// A SignalR <see cref="IConnectionFactory"/> over <see cref="ClientWebSocket"/> for
/// <c>Microsoft.AspNetCore.SignalR.Client.Core</c> (the package with the HTTP transports does not restore here).
/// It skips negotiation: it opens the WebSocket on the hub URI directly (<c>http</c>/<c>https</c> become
/// <c>ws</c>/<c>wss</c>) and sends the bearer token in the upgrade request's <c>Authorization</c> header.
/// </summary>
public sealed class WebSocketConnectionFactory : IConnectionFactory
{
    private readonly Uri _hubUri;
    private readonly Func<CancellationToken, ValueTask<string?>> _accessTokenProvider;

    /// <summary>Creates a factory for one hub.</summary>
    /// <param name="hubUri">The hub's absolute URI, e.g. <c>https://server/hubs/dialogue</c>.</param>
    /// <param name="accessTokenProvider">Returns the current bearer token, or null to connect anonymously.</param>
    public WebSocketConnectionFactory(Uri hubUri, Func<CancellationToken, ValueTask<string?>> accessTokenProvider)
    {
        ArgumentNullException.ThrowIfNull(hubUri);
        ArgumentNullException.ThrowIfNull(accessTokenProvider);
        if (!hubUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The hub URI must be absolute.", nameof(hubUri));
        }

        _hubUri = ToWebSocketUri(hubUri);
        _accessTokenProvider = accessTokenProvider;
    }

    /// <summary>Opens a WebSocket to the hub. The endpoint argument is ignored: the factory's hub URI is used.</summary>
    /// <exception cref="WebSocketException">The server refused or could not be reached.</exception>
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        try
        {
            var token = await _accessTokenProvider(cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(token))
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
            await socket.ConnectAsync(_hubUri, cancellationToken).ConfigureAwait(false);
            var connection = new WebSocketConnection(socket);
            connection.Start();
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Uri ToWebSocketUri(Uri uri)
    {
        var builder = new UriBuilder(uri);
        builder.Scheme = uri.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"Unsupported scheme {uri.Scheme}.", nameof(uri)),
        };
        return builder.Uri;
    }
}
