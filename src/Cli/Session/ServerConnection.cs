using System.CommandLine;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Identity;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Session;

/// <summary>
/// A signed-in profile's way to the server: its saved settings, a token source that refreshes OpenID Connect
/// tokens (and saves them back), and the typed API client. Opening it checks the sign-in locally first, so a
/// profile without one fails with exit 5 before anything else happens.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly HttpClient? _providerHttp;

    private ServerConnection(Profile profile, LoginSettings settings, TokenCache cache, AccessTokenSource tokens, TokenSet current, HttpClient http, HttpClient? providerHttp)
    {
        Profile = profile;
        Settings = settings;
        Cache = cache;
        Tokens = tokens;
        Current = current;
        _http = http;
        _providerHttp = providerHttp;
        Api = new DialogueApiClient(http, AccessTokenAsync);
    }

    public Profile Profile { get; }

    public LoginSettings Settings { get; }

    public Uri Server => Settings.Server;

    public TokenCache Cache { get; }

    public AccessTokenSource Tokens { get; }

    /// <summary>The tokens as they were when the connection was opened (identity and expiry for display).</summary>
    public TokenSet Current { get; }

    public DialogueApiClient Api { get; }

    /// <summary>
    /// The frame of the commands that work on one review over the API alone: resolves the profile, opens the
    /// connection, resolves the review (<see cref="ReviewSelector"/>) and runs <paramref name="action"/>; a failure on
    /// the way is the command's exit code.
    /// </summary>
    public static async Task<int> RunInReviewAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> review,
        Func<ServerConnection, Guid, Task<int>> action, CancellationToken cancellationToken)
    {
        var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
        if (!profileResult.TryGetValue(out var profile, out var failure))
        {
            return context.Fail(failure);
        }

        var opened = await OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var connection, out failure))
        {
            return context.Fail(failure);
        }

        using (connection)
        {
            var resolved = await ReviewSelector.ResolveAsync(connection, parseResult.GetValue(review), cancellationToken).ConfigureAwait(false);
            if (!resolved.TryGetValue(out var reviewId, out failure))
            {
                return context.Fail(failure);
            }

            return await action(connection, reviewId).ConfigureAwait(false);
        }
    }

    /// <summary>Loads the sign-in of <paramref name="profile"/> and gets a valid access token (refreshing it when due).</summary>
    public static async Task<Result<ServerConnection, CommandFailure>> OpenAsync(Profile profile, CliContext context, CancellationToken cancellationToken)
    {
        var loaded = LoginSettings.Load(profile);
        if (!loaded.TryGetValue(out var settings, out var failure))
        {
            return failure;
        }

        var cache = new TokenCache(profile.Directory);
        HttpClient? providerHttp = null;
        OidcClient? oidc = null;
        if (settings is { Issuer: { } issuer, ClientId: { } clientId })
        {
            providerHttp = new HttpClient { Timeout = RequestTimeout };
            oidc = new OidcClient(new OidcClientOptions { Issuer = issuer, ClientId = clientId, Resource = settings.Resource }, providerHttp, context.Time);
        }

        var source = new AccessTokenSource(cache, oidc, context.Time);
        var tokens = await source.GetTokensAsync(cancellationToken).ConfigureAwait(false);
        if (!tokens.TryGetValue(out var current, out var error))
        {
            providerHttp?.Dispose();
            return IdentityFailures.Of(error, profile);
        }

        var http = ServerHttp.Create(settings.Server, RequestTimeout);
        return new ServerConnection(profile, settings, cache, source, current, http, providerHttp);
    }

    /// <summary>The token provider handed to the SDK: null (anonymous, so the server answers 401) when the tokens are gone.</summary>
    public async ValueTask<string?> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var token = await Tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.TryGetValue(out var value, out _) ? value : null;
    }

    /// <summary>Turns an API error of this server into a failure.</summary>
    public CommandFailure Failure(ApiError error, string action) => ApiFailures.Of(error, Server, action);

    public void Dispose()
    {
        _http.Dispose();
        _providerHttp?.Dispose();
    }
}
