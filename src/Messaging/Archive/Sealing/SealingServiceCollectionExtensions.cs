using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>Registers the sealed bundle store (section <c>Archive:Sealing</c>).</summary>
internal static class SealingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SealedStorageOptions"/> from <c>Archive:Sealing</c> (validated at start-up, every problem listed) and
    /// registers <see cref="ISealedBundleStore"/>: <see cref="LocalSealedBundleStore"/> under <c>{Data:Directory}/sealed</c> by
    /// default, or <see cref="S3SealedBundleStore"/> with <c>Archive:Sealing:Backend=S3</c>. The <see cref="BundleSealer"/> needs
    /// an <see cref="IArchiveSource"/> and the log's <see cref="Vault.Archive.CheckpointSigner"/>, registered with the log.
    /// </summary>
    public static IServiceCollection AddSealedStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SealedStorageOptions>()
            .Bind(configuration.GetSection(SealedStorageOptions.Section))
            .PostConfigure(options =>
            {
                var data = configuration["Data:Directory"];
                options.LocalDirectory = Path.GetFullPath(
                    string.IsNullOrWhiteSpace(options.LocalDirectory)
                        ? Path.Combine(string.IsNullOrWhiteSpace(data) ? ".data" : data, "sealed")
                        : options.LocalDirectory);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SealedStorageOptions>, Validator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISealedBundleStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SealedStorageOptions>>().Value;
            return options.Backend == "S3"
                ? new S3SealedBundleStore(S3SealedBundleStore.CreateClient(options.S3), options, provider.GetRequiredService<TimeProvider>())
                : new LocalSealedBundleStore(options.LocalDirectory!);
        });
        return services;
    }

    private sealed class Validator : IValidateOptions<SealedStorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, SealedStorageOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
