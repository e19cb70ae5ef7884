namespace SecureDialogue.Cli.Session;

/// <summary>The HTTP client sdlg uses for one server: its base address, a time-out, pooled connections.</summary>
internal static class ServerHttp
{
    public static HttpClient Create(Uri server, TimeSpan timeout) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: true)
        {
            BaseAddress = server,
            Timeout = timeout,
        };
}
