using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Health;

namespace SecureDialogue.Messaging.Hosting;

internal static class HostingExtensions
{
    /// <summary>Largest request body by default; endpoints that take envelopes or records raise it for themselves.</summary>
    public const long DefaultMaxRequestBodySize = 256 * 1024;

    /// <summary>Command-line shortcuts: <c>--data DIR</c>, <c>--profile NAME</c>.</summary>
    private static readonly Dictionary<string, string> s_switches = new(StringComparer.Ordinal)
    {
        ["--data"] = $"{DataDirectoryOptions.Section}:{nameof(DataDirectoryOptions.Directory)}",
        ["--profile"] = $"{ServerOptions.Section}:{nameof(ServerOptions.Profile)}",
    };

    /// <summary>
    /// Command-line switches, the loopback default address, server options, Kestrel limits, problem details and JSON.
    /// </summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, s_switches);

        // Loopback by default: exposing the server is an explicit choice (--urls or ASPNETCORE_URLS).
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            string.IsNullOrEmpty(builder.Configuration["http_ports"]) &&
            string.IsNullOrEmpty(builder.Configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(ServerOptions.DefaultUrl);
        }

        // Per-request framework logs are noise for an operator; warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = DefaultMaxRequestBodySize;
        });

        var services = builder.Services;
        services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerAddress>();
        services.AddDataDirectory(builder.Configuration);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        services.Configure<JsonOptions>(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, MessagingJsonContext.Default));
        return builder;
    }

    /// <summary>Errors as problem details: unhandled exceptions (500, no detail) and empty error statuses.</summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A body that is too large or cut short is the client's fault, not a server error.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.Lifetime.ApplicationStarted.Register(() => StartBanner.Print(app.Services));
        return app;
    }

    /// <summary>
    /// Validates every setting before anything uses them; when some are invalid, prints all problems as a list (not a
    /// stack trace) and returns true: the caller then exits with code 2.
    /// </summary>
    public static bool ReportInvalidSettings(this WebApplication app)
    {
        var failures = ValidateSettings(app.Services);
        if (failures.Count == 0)
        {
            return false;
        }

        Console.Error.WriteLine("SecureDialogue Messaging: the configuration is not valid:");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"  - {failure}");
        }

        return true;
    }

    /// <summary>Runs the server; a database that cannot be used is reported in one line (exit code 3).</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Persistence.DatabaseStartupException e)
        {
            await Console.Error.WriteLineAsync($"SecureDialogue Messaging: {e.Message}").ConfigureAwait(false);
            return 3;
        }
    }

    /// <summary>Every failure of the options validated at start (empty when the settings are valid).</summary>
    public static IReadOnlyList<string> ValidateSettings(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return [.. e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures).Distinct(StringComparer.Ordinal)];
        }
    }
}
