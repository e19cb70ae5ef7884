using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Archive;

/// <summary>The archive's settings are checked at start and every problem is named.</summary>
public sealed class ArchiveOptionsTests
{
    [Fact]
    public void Validate_EmbeddedDefaults_Valid()
    {
        // Act
        var result = Validate(new ArchiveOptions(), "Embedded");

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ProductionWithoutKeyFile_Refused()
    {
        // Act
        var result = Validate(new ArchiveOptions(), "Production");

        // Assert
        Assert.Contains(result.Failures!, f => f.StartsWith("Archive:KeyFile is required by the production profile", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EverySettingOutOfRange_NamesEachProblem()
    {
        // Arrange
        using var data = new TempDirectory();
        var shortKey = Path.Combine(data.Path, "short-key");
        File.WriteAllBytes(shortKey, new byte[31]);
        var options = new ArchiveOptions
        {
            CheckpointEveryEntries = 0,
            CheckpointInterval = TimeSpan.FromMilliseconds(10),
            RefreshInterval = TimeSpan.FromHours(13),
            KeyName = "two words",
            KeyFirstTreeSize = -1,
            RetiredKeys = ["not a key"],
            KeyFile = shortKey,
        };

        // Act
        var failures = Validate(options, "Production").Failures!.ToList();

        // Assert
        Assert.Equal(7, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Archive:CheckpointEveryEntries", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Archive:CheckpointInterval", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Archive:RefreshInterval", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Archive:KeyName", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Archive:KeyFirstTreeSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Archive:RetiredKeys", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("exactly 32 bytes", StringComparison.Ordinal));
    }

    private static ValidateOptionsResult Validate(ArchiveOptions options, string profile) =>
        new ArchiveOptions.Validator(Options.Create(new ServerOptions { Profile = profile })).Validate(null, options);
}
