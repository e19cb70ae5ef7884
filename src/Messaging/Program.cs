using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Health;
using SecureDialogue.Messaging.Pages;
using SecureDialogue.Messaging.Storage;

var builder = WebApplication.CreateSlimBuilder(args);

// Loopback by default: exposing the server is an explicit choice (--urls or ASPNETCORE_URLS).
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
    string.IsNullOrEmpty(builder.Configuration["http_ports"]) &&
    string.IsNullOrEmpty(builder.Configuration["https_ports"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// Per-request framework logs are noise for an operator; warnings and errors still show.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

builder.Services.AddDataDirectory(builder.Configuration);

var app = builder.Build();

app.MapHomePage();
app.MapHealthEndpoints();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var data = app.Services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
    StartupLog.Started(app.Logger, data.Directory);
});

app.Run();
