using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>
/// The server's own URLs: the configured public base (stable across restarts, used for names such as the development
/// issuer) and the addresses Kestrel actually listens on (known once started; what the start banner prints).
/// </summary>
internal sealed class ServerAddress(IOptions<ServerOptions> options, IConfiguration configuration, IServer server)
{
    /// <summary>
    /// The configured base URL without a trailing slash: <c>Server:PublicUrl</c>, else the first of <c>--urls</c>, else
    /// <see cref="ServerOptions.DefaultUrl"/>. It does not depend on the port actually bound, so it stays the same when
    /// the server restarts with <c>--urls http://127.0.0.1:0</c>.
    /// </summary>
    public string ConfiguredBase
    {
        get
        {
            var configured = options.Value.PublicUrl;
            if (string.IsNullOrWhiteSpace(configured))
            {
                var urls = configuration[WebHostDefaults.ServerUrlsKey];
                configured = string.IsNullOrWhiteSpace(urls)
                    ? ServerOptions.DefaultUrl
                    : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            }

            return configured.TrimEnd('/');
        }
    }

    /// <summary>The addresses Kestrel listens on, once started (e.g. <c>http://127.0.0.1:5080</c>).</summary>
    public IReadOnlyList<string> Listening =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
