using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Persistence;

internal static class PersistenceExtensions
{
    /// <summary>The database (SQLite file or PostgreSQL), its options and the migrations applied at start.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.TryAddSingleton<DatabaseTarget>();
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<CompiledQueries>();
        services.AddDbContextPool<MessagingDbContext>((provider, builder) => provider.GetRequiredService<DatabaseTarget>().Configure(builder));
        services.AddHostedService<DatabaseMigrationService>();
        return services;
    }
}
