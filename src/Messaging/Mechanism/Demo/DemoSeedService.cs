using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Mechanism.Demo;

/// <summary>Seeds the demo data at start when <c>Server:DemoData</c> is on in the embedded profile (after the migrations).</summary>
internal sealed class DemoSeedService(IServiceScopeFactory scopes, IOptions<ServerOptions> options) : IHostedService
{
    /// <summary>Whether the demo data is in use (the pages show a banner).</summary>
    public static bool IsOn(ServerOptions options) => options.DemoData && options.ParsedProfile == ServerProfile.Embedded;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsOn(options.Value))
        {
            return;
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
