using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

internal static class SignInExtensions
{
    /// <summary>JWT bearer authentication for both profiles, account binding, and the embedded development issuer.</summary>
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>());
        services.TryAddSingleton<AccountCache>();
        services.TryAddScoped<AccountBinder>();
        services.TryAddSingleton<BearerEvents>();
        services.TryAddSingleton<DevSigningKey>();
        services.TryAddSingleton<DevTokenIssuer>();
        services.TryAddSingleton<HomeIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();

        // Bearer tokens need no data protection; authentication registers it anyway. Keep its keys in memory, so
        // nothing is written outside the data directory (and no unencrypted key ring is left on disk).
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IServiceProvider>((bearer, provider) => ConfigureBearer(bearer, provider));
        services.AddAuthorization();
        return services;
    }

    /// <summary>Authentication and authorization middleware.</summary>
    public static WebApplication UseSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps <c>POST /dev/token</c> in the embedded profile only (elsewhere the route does not exist: 404).</summary>
    public static IEndpointRouteBuilder MapDevSignIn(this IEndpointRouteBuilder endpoints)
    {
        var profile = endpoints.ServiceProvider.GetRequiredService<IOptions<ServerOptions>>().Value.ParsedProfile;
        if (profile == ServerProfile.Embedded)
        {
            endpoints.MapPost(HttpRoutes.DevToken, DevSignInEndpoint.Handle).AllowAnonymous();
        }

        return endpoints;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer, IServiceProvider provider)
    {
        var server = provider.GetRequiredService<IOptions<ServerOptions>>().Value;
        var settings = provider.GetRequiredService<IOptions<SignInOptions>>().Value;
        bearer.MapInboundClaims = false;
        bearer.EventsType = typeof(BearerEvents);
        bearer.TokenValidationParameters.NameClaimType = JwtRegisteredClaimNamesSub;
        bearer.TokenValidationParameters.RoleClaimType = settings.SecretariatClaim;
        bearer.TokenValidationParameters.RequireExpirationTime = true;
        bearer.TokenValidationParameters.RequireSignedTokens = true;
        bearer.TokenValidationParameters.ValidateLifetime = true;
        bearer.TokenValidationParameters.ValidateIssuer = true;
        bearer.TokenValidationParameters.ValidateAudience = true;
        bearer.TokenValidationParameters.ValidateIssuerSigningKey = true;
        bearer.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);

        if (server.ParsedProfile == ServerProfile.Embedded)
        {
            var issuer = provider.GetRequiredService<DevTokenIssuer>();
            var key = provider.GetRequiredService<DevSigningKey>();
            bearer.TokenValidationParameters.ValidIssuer = issuer.Issuer;
            bearer.TokenValidationParameters.ValidAudience = SignInOptions.DevAudience;
            bearer.TokenValidationParameters.IssuerSigningKey = key.SecurityKey;
            bearer.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];
        }
        else
        {
            // Discovery and JWKS from the provider (cached and refreshed by the handler), audience and lifetime checked.
            bearer.Authority = settings.Authority;
            bearer.Audience = settings.Audience;
            bearer.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            bearer.TokenValidationParameters.ValidAudience = settings.Audience;
        }
    }

    private const string JwtRegisteredClaimNamesSub = "sub";
}
