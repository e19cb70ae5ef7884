using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>The database engines every persistence-facing test runs on.</summary>
public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real server (Program) on a real Kestrel at 127.0.0.1:0, with its own data directory and database, its logs
/// captured. HTTP clients talk to it over TCP.
/// </summary>
public sealed class MessagingHost : ITestServer, IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly TempDirectory _data;
    private readonly HttpClient _anonymous;

    private MessagingHost(Factory factory, TempDirectory data, Uri baseAddress)
    {
        _factory = factory;
        _data = data;
        BaseAddress = baseAddress;
        _anonymous = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public Uri HubUrl => new(BaseAddress, DialogueHubContract.Path);

    public string DataDirectory => _data.Path;

    public LogCapture Logs => _factory.Logs;

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts a server on <paramref name="engine"/> (a fresh database), with extra settings.</summary>
    public static async Task<MessagingHost> StartAsync(Engine engine, PostgresFixture? postgres = null, IReadOnlyDictionary<string, string?>? settings = null, int port = 0)
    {
        var data = new TempDirectory();
        var all = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Data:Directory"] = data.Path };
        if (engine == Engine.Postgres)
        {
            ArgumentNullException.ThrowIfNull(postgres);
            all["Database:Engine"] = "Postgres";
            all["Database:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // The production profile requires a configured archive log key (docs/server.md, "Archive"): a fresh one per host.
        if (string.Equals(all.GetValueOrDefault("Server:Profile"), "Production", StringComparison.OrdinalIgnoreCase) && !all.ContainsKey("Archive:KeyFile"))
        {
            var keyFile = Path.Combine(data.Path, "production-archive-key");
            File.WriteAllBytes(keyFile, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            all["Archive:KeyFile"] = keyFile;
        }

        var factory = new Factory(all);
        try
        {
            factory.UseKestrel(port);
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new MessagingHost(factory, data, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        }
        catch
        {
            await factory.DisposeAsync();
            data.Dispose();
            throw;
        }
    }

    /// <summary>A client without a token.</summary>
    public HttpClient Anonymous => _anonymous;

    /// <summary>A development token from <c>POST /dev/token</c>.</summary>
    public async Task<string> TokenAsync(string user, bool secretariat = false)
    {
        using var response = await _anonymous.PostAsJsonAsync(HttpRoutes.DevToken, new DevTokenRequest(user, secretariat));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<DevTokenResponse>();
        return token!.AccessToken;
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        public LogCapture Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Production");
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
    }
}
