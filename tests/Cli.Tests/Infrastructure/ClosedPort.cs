using System.Net;
using System.Net.Sockets;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>A loopback URL where nothing listens (a port the system just gave out and took back).</summary>
internal static class ClosedPort
{
    public static string Url()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }
}
