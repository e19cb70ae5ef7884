using SecureDialogue.Client.Identity;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Identity.Support;

/// <summary>
/// The real OpenID provider and, on first use, the server in the production profile trusting it: PostgreSQL,
/// <c>Identity:Authority</c> = the provider, audience <c>securedialogue</c>, plain http allowed because the provider is on
/// loopback. Access tokens live <see cref="AccessTokenLifetime"/> so that the expiry test waits as little as the
/// server's 30-second clock skew allows; every other test uses a token right after signing in.
/// </summary>
public sealed class RealProviderFixture : IAsyncLifetime
{
    /// <summary>Lifetime of the provider's access tokens.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task<MessagingHost>? _server;

    public OidcProviderProcess Provider { get; private set; } = null!;

    /// <summary>For the SDK's OIDC client (the person's browser has its own).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => Provider = await OidcProviderProcess.StartAsync(new Dictionary<string, string>
    {
        ["OIDC_ACCESS_TOKEN_TTL"] = ((int)AccessTokenLifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync()
    {
        if (_server is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }

        Http.Dispose();
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }

    /// <summary>The production-profile server (started once, on a fresh PostgreSQL database).</summary>
    public async Task<MessagingHost> GetServerAsync(PostgresFixture postgres)
    {
        lock (_gate)
        {
            _server ??= MessagingHost.StartAsync(Engine.Postgres, postgres, new Dictionary<string, string?>
            {
                ["Server:Profile"] = "Production",
                ["Identity:Authority"] = Provider.Issuer.OriginalString,
                ["Identity:Audience"] = IdentityClaims.DefaultAudience,
                ["Identity:RequireHttpsMetadata"] = "false",
            });
        }

        return await _server;
    }

    /// <summary>Signs <paramref name="login"/> in with the device grant (the SDK's client; the test plays the person).</summary>
    public async Task<TokenSet> SignInAsync(string login)
    {
        var client = new OidcClient(new OidcClientOptions { Issuer = Provider.Issuer }, Http);
        var started = await client.StartDeviceAuthorizationAsync();
        Assert.True(started.IsSuccess, started.ToString());
        using var person = new ProviderUser(Provider.Issuer);
        var completion = client.CompleteDeviceAuthorizationAsync(started.Value!);
        using var page = await person.SignInWithUserCodeAsync(started.Value!.VerificationUriComplete!, login, OidcProviderProcess.Password);
        var tokens = await completion;
        Assert.True(tokens.IsSuccess, tokens.ToString());
        return tokens.Value!;
    }
}
