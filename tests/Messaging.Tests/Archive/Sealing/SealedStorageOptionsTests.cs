using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Archive.Sealing;

namespace SecureDialogue.Messaging.Tests.Archive.Sealing;

public sealed class SealedStorageOptionsTests
{
    [Fact]
    public void Start_BadSettings_EveryProblemListed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Archive:Sealing:Backend"] = "S3",
            ["Archive:Sealing:RetentionYears"] = "0",
            ["Archive:Sealing:S3:Bucket"] = "Bad_Bucket",
            ["Archive:Sealing:S3:AccessKey"] = "only-the-key",
        }).Build();
        using var provider = new ServiceCollection().AddSealedStorage(configuration).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SealedStorageOptions>>().Value);

        Assert.Contains(e.Failures, f => f.Contains("RetentionYears must be between 1 and 100", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("S3:Bucket must be a bucket name", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("AccessKey and Archive:Sealing:S3:SecretKey go together", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_UnknownBackend_Refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Archive:Sealing:Backend"] = "Tape" }).Build();
        using var provider = new ServiceCollection().AddSealedStorage(configuration).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SealedStorageOptions>>().Value);

        Assert.Contains("Backend must be Local or S3, not 'Tape'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_Defaults_LocalUnderDataDirectory()
    {
        var data = Path.Combine(Path.GetTempPath(), "sdlg-data-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = data }).Build();
        using var provider = new ServiceCollection().AddSealedStorage(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SealedStorageOptions>>().Value;

        Assert.Equal(Path.Combine(data, "sealed"), options.LocalDirectory);
        Assert.Equal(20, options.RetentionYears);
        Assert.IsType<LocalSealedBundleStore>(provider.GetRequiredService<ISealedBundleStore>());
        System.IO.Directory.Delete(data, recursive: true);
    }
}
