using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Identity;

namespace SecureDialogue.Client.Tests.Identity.Support;

/// <summary>One real provider shared by the identity tests (they run one after the other in this collection).</summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    private TestOidcProvider? _provider;

    public TestOidcProvider Provider => _provider ?? throw new InvalidOperationException("the provider is not started");

    public Uri Issuer => Provider.Issuer;

    /// <summary>For the client under test (the user agent has its own).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => _provider = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    public OidcClient CreateClient(TimeProvider? time = null, ILogger? logger = null, Func<OidcClientOptions, OidcClientOptions>? configure = null)
    {
        var options = new OidcClientOptions { Issuer = Issuer, BrowserSignInTimeout = TimeSpan.FromSeconds(30) };
        return new OidcClient(configure?.Invoke(options) ?? options, Http, time, logger);
    }

    /// <summary>Signs <paramref name="login"/> in through the browser flow, the test playing the person.</summary>
    public async Task<TokenSet> SignInAsync(OidcClient client, string login)
    {
        var started = await client.StartBrowserSignInAsync();
        await using var signIn = started.Value!;
        using var user = new ProviderUser(Issuer);
        var completion = client.CompleteBrowserSignInAsync(signIn);
        var landing = await user.SignInThroughBrowserAsync(signIn.AuthorizationUri, login, TestOidcProvider.Password);
        Assert.Equal(System.Net.HttpStatusCode.OK, landing.StatusCode);
        var tokens = await completion;
        Assert.True(tokens.IsSuccess, tokens.ToString());
        return tokens.Value!;
    }
}

[CollectionDefinition(Name)]
public sealed class OidcProviderCollection : ICollectionFixture<OidcProviderFixture>
{
    public const string Name = "OpenID provider";
}
