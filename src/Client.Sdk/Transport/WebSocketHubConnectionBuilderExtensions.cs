using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SecureDialogue.Client.Transport;

/// <summary>Configures a <see cref="IHubConnectionBuilder"/> to connect with <see cref="WebSocketConnectionFactory"/>.</summary>
public static class WebSocketHubConnectionBuilderExtensions
{
    /// <summary>
    /// Connects the hub connection to <paramref name="hubUrl"/> over a WebSocket without negotiation, sending the token
    /// from <paramref name="accessTokenProvider"/> as a bearer token on each (re)connection.
    /// </summary>
    /// <param name="builder">The hub connection builder.</param>
    /// <param name="hubUrl">The hub URL, e.g. <c>http://127.0.0.1:5080/hubs/dialogue</c> (http, https, ws or wss).</param>
    /// <param name="accessTokenProvider">Returns the current access token, or null to connect without one.</param>
    /// <param name="configure">Adjusts each socket's options before it connects.</param>
    /// <returns>The builder.</returns>
    public static IHubConnectionBuilder WithWebSocketUrl(
        this IHubConnectionBuilder builder, Uri hubUrl,
        Func<CancellationToken, ValueTask<string?>>? accessTokenProvider = null, Action<ClientWebSocketOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hubUrl);
        _ = WebSocketConnectionFactory.ToWebSocketUri(hubUrl);
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(accessTokenProvider, configure));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(hubUrl));
        return builder;
    }
}
