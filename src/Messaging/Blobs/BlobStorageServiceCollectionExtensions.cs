using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>Registers the attachment blob store (section <c>Blobs</c>) and its abandoned-upload cleanup.</summary>
internal static class BlobStorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BlobStorageOptions"/> from <c>Blobs</c> (validated at start-up, every problem listed),
    /// registers <see cref="IBlobStore"/> as a singleton (<see cref="LocalBlobStore"/> under
    /// <c>{Data:Directory}/blobs</c> by default, or <see cref="S3BlobStore"/> with <c>Blobs:Backend=S3</c>),
    /// <see cref="TimeProvider.System"/> unless one is registered, and a background cleanup of abandoned uploads.
    /// </summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStorageOptions>()
            .Bind(configuration.GetSection(BlobStorageOptions.Section))
            .PostConfigure(options =>
            {
                var data = configuration["Data:Directory"];
                options.LocalDirectory = Path.GetFullPath(
                    string.IsNullOrWhiteSpace(options.LocalDirectory)
                        ? Path.Combine(string.IsNullOrWhiteSpace(data) ? ".data" : data, "blobs")
                        : options.LocalDirectory);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobStorageOptions>, BlobStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBlobStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<BlobStorageOptions>>().Value;
            var time = provider.GetRequiredService<TimeProvider>();
            return options.Backend == "S3"
                ? new S3BlobStore(S3BlobStore.CreateClient(options.S3), options, time)
                : new LocalBlobStore(options.LocalDirectory!, options, time);
        });
        services.AddHostedService<AbandonedUploadCleanup>();
        return services;
    }

    private sealed class BlobStorageOptionsValidator : IValidateOptions<BlobStorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, BlobStorageOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
