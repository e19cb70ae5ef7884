using System.Net;
using System.Net.Sockets;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>Which providers the client agrees to talk to.</summary>
[Collection(OidcProviderCollection.Name)]
public sealed class DiscoveryTests(OidcProviderFixture fixture)
{
    [Fact]
    public async Task StartDeviceAuthorization_IssuerNamedDifferentlyThanTheProviderSays_ReturnsIssuerMismatch()
    {
        // Arrange: the same server, reached as localhost, says its issuer is http://127.0.0.1:PORT.
        var alias = new UriBuilder(fixture.Issuer) { Host = "localhost" }.Uri;
        var client = new OidcClient(new OidcClientOptions { Issuer = alias }, fixture.Http);

        // Act
        var result = await client.StartDeviceAuthorizationAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.IssuerMismatch, result.Error.Kind);
    }

    [Fact]
    public async Task StartBrowserSignIn_PlainHttpIssuerOffLoopback_ReturnsInsecureEndpointWithoutARequest()
    {
        // Arrange
        using var http = new HttpClient(new RefuseEverything());
        var client = new OidcClient(new OidcClientOptions { Issuer = new Uri("http://login.example.org") }, http);

        // Act
        var result = await client.StartBrowserSignInAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.InsecureEndpoint, result.Error.Kind);
    }

    [Fact]
    public async Task StartDeviceAuthorization_NothingListening_ReturnsProviderUnreachable()
    {
        // Arrange: a port that was free a moment ago.
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        var client = new OidcClient(new OidcClientOptions { Issuer = new Uri($"http://127.0.0.1:{port}") }, fixture.Http);

        // Act
        var result = await client.StartDeviceAuthorizationAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.ProviderUnreachable, result.Error.Kind);
    }

    [Fact]
    public async Task StartDeviceAuthorization_UnknownClient_ReturnsProviderErrorNamingIt()
    {
        // Arrange
        var client = fixture.CreateClient(configure: o => o with { ClientId = "no-such-client" });

        // Act
        var result = await client.StartDeviceAuthorizationAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.ProviderError, result.Error.Kind);
        Assert.Contains("invalid_client", result.Error.Detail, StringComparison.Ordinal);
    }

    private sealed class RefuseEverything : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"no request expected, got {request.RequestUri}");
    }
}
