using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// A SignalR <see cref="IConnectionFactory"/> over <see cref="ClientWebSocket"/>, for <c>HubConnection</c> from
/// Microsoft.AspNetCore.SignalR.Client.Core (whose HTTP transport package is not used). It connects straight to the
/// hub's WebSocket endpoint, skipping negotiation, and sends the bearer token in the <c>Authorization</c> header of the
/// upgrade request; the token provider is asked again on every (re)connection, so a refreshed token is used.
/// </summary>
public sealed class WebSocketConnectionFactory : IConnectionFactory
{
    private readonly Func<CancellationToken, ValueTask<string?>>? _accessTokenProvider;
    private readonly Action<ClientWebSocketOptions>? _configure;

    /// <summary>Creates the factory.</summary>
    /// <param name="accessTokenProvider">Returns the current access token, or null to connect without one.</param>
    /// <param name="configure">Adjusts each socket's options (proxy, certificates, keep-alive) before it connects.</param>
    public WebSocketConnectionFactory(Func<CancellationToken, ValueTask<string?>>? accessTokenProvider = null, Action<ClientWebSocketOptions>? configure = null)
    {
        _accessTokenProvider = accessTokenProvider;
        _configure = configure;
    }

    /// <summary>
    /// Opens a WebSocket to <paramref name="endpoint"/>, a <see cref="UriEndPoint"/> with an <c>http</c>, <c>https</c>,
    /// <c>ws</c> or <c>wss</c> URL of the hub (e.g. <c>http://127.0.0.1:5080/hubs/dialogue</c>).
    /// </summary>
    /// <param name="endpoint">The hub URL.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The open connection; disposing it closes the socket.</returns>
    /// <exception cref="NotSupportedException"><paramref name="endpoint"/> is not a <see cref="UriEndPoint"/> with a supported scheme.</exception>
    /// <exception cref="WebSocketException">The server refused the upgrade (e.g. 401 without a valid token) or could not be reached.</exception>
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint is not UriEndPoint { Uri: var uri })
        {
            throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects to a {nameof(UriEndPoint)}, not a {endpoint.GetType().Name}.");
        }

        var socket = new ClientWebSocket();
        try
        {
            _configure?.Invoke(socket.Options);
            if (_accessTokenProvider is not null &&
                await _accessTokenProvider(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            {
                socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
            }

            await socket.ConnectAsync(ToWebSocketUri(uri), cancellationToken).ConfigureAwait(false);
            return WebSocketConnection.Start(socket, uri);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static Uri ToWebSocketUri(Uri uri)
    {
        var scheme = uri.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new NotSupportedException($"The hub URL must be http, https, ws or wss, not '{uri.Scheme}'."),
        };
        return new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri;
    }
}
