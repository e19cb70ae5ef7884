using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SecureDialogue.Messaging.Hosting;

internal static class DataDirectoryServiceCollectionExtensions
{
    /// <summary>Binds <see cref="DataDirectoryOptions"/>, resolves the path and creates the directory (owner-only on Unix).</summary>
    public static IServiceCollection AddDataDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataDirectoryOptions>()
            .Configure(options =>
            {
                var configured = configuration[$"{DataDirectoryOptions.Section}:{nameof(DataDirectoryOptions.Directory)}"];
                if (!string.IsNullOrWhiteSpace(configured))
                {
                    options.Directory = configured;
                }
            })
            .PostConfigure(options =>
            {
                options.Directory = Path.GetFullPath(options.Directory);
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(options.Directory);
                }
                else
                {
                    System.IO.Directory.CreateDirectory(options.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataDirectoryOptions>, DataDirectoryValidator>());
        return services;
    }

    private sealed class DataDirectoryValidator : IValidateOptions<DataDirectoryOptions>
    {
        public ValidateOptionsResult Validate(string? name, DataDirectoryOptions options) =>
            System.IO.Directory.Exists(options.Directory)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"The data directory {options.Directory} does not exist and could not be created.");
    }
}
