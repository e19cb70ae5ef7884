using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>What an operator needs once the server listens: where, which profile, and how to sign in.</summary>
internal static class StartBanner
{
    public static void Print(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SecureDialogue.Messaging");
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var data = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var address = services.GetRequiredService<ServerAddress>();
        var listening = address.Listening;
        var url = listening.Count > 0 ? listening[0] : address.ConfiguredBase;
        var engine = database.EngineFor(server.ParsedProfile);

        StartupLog.Started(logger, url, server.ParsedProfile, data.Directory, engine);
        if (server.ParsedProfile == ServerProfile.Embedded)
        {
            StartupLog.DevSignIn(logger, url + HttpRoutes.DevToken);
            StartupLog.Pages(logger, url + "/secretariat");
            if (server.DemoData)
            {
                StartupLog.DemoData(logger);
            }
        }
        else
        {
            var identity = services.GetRequiredService<IOptions<SignInOptions>>().Value;
            StartupLog.OidcSignIn(logger, identity.Authority ?? string.Empty, identity.Audience ?? string.Empty);
        }
    }
}
