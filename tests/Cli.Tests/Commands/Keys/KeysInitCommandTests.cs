using System.Text.RegularExpressions;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Keys;

public sealed partial class KeysInitCommandTests : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Init_Json_PrintsDeviceIdFingerprintAndPublicKey()
    {
        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive", "--json");

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var card = DeviceCardJson.Parse(result.Out);
        Assert.Matches(DeviceIdPattern(), card.DeviceId);
        Assert.Matches(FingerprintPattern(), card.Fingerprint);
        Assert.Matches(PublicKeyPattern(), card.PublicKey);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData(null, 3u, 65536u)]
    [InlineData("standard", 3u, 65536u)]
    [InlineData("interactive", 2u, 65536u)]
    [InlineData("moderate", 3u, 262144u)]
    public async Task Init_KdfProfile_WritesItsArgon2idCostIntoTheStoreHeader(string? kdfProfile, uint passes, uint memoryKiB)
    {
        // Act
        string[] args = kdfProfile is null
            ? ["keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--json"]
            : ["keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", kdfProfile, "--json"];
        var result = await _sdlg.RunAsync(args);

        // Assert: ops limit at offset 10 and memory (KiB) at 14, big-endian (docs/protocol.md section 5).
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var store = await File.ReadAllBytesAsync(_sdlg.KeyStorePath("a"));
        Assert.Equal(passes, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(store.AsSpan(10)));
        Assert.Equal(memoryKiB, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(store.AsSpan(14)));
    }

    [Fact]
    public async Task Init_Text_PrintsTheSameFieldsAndNoPassphrase()
    {
        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Device id:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Fingerprint:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Public key:", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(SdlgHarness.DefaultPassphrase, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_ThenShow_GiveTheSameIdentity()
    {
        // Arrange
        var created = await _sdlg.InitAsync("a");

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"), "--json");

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(created, DeviceCardJson.Parse(result.Out));
    }

    [Fact]
    public async Task Init_Twice_RefusesAndLeavesTheStoreUnchanged()
    {
        // Arrange
        await _sdlg.InitAsync("a");
        var path = _sdlg.KeyStorePath("a");
        var before = await File.ReadAllBytesAsync(path);

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Init_NewProfile_CreatesOwnerOnlyDirectoryAndFile()
    {
        // Act
        await _sdlg.InitAsync("nested/profile");

        // Assert
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = _sdlg.ProfileDirectory("nested/profile");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_sdlg.KeyStorePath("nested/profile")));
    }

    [Fact]
    public async Task Init_ShortPassphrase_FailsAndCreatesNothing()
    {
        // Arrange
        _sdlg.Environment[PassphraseSource.EnvironmentVariable] = "short";

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("at least 8", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_sdlg.KeyStorePath("a")));
    }

    [Fact]
    public async Task Init_NoPassphraseAndNoTerminal_FailsWithUsageError()
    {
        // Arrange
        _sdlg.Environment.Remove(PassphraseSource.EnvironmentVariable);

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains("--passphrase-file", result.Error, StringComparison.Ordinal);
        Assert.Contains("SDLG_PASSPHRASE", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_sdlg.KeyStorePath("a")));
    }

    [Fact]
    public async Task Init_PromptedPassphrasesMatch_AsksTwiceAndCreates()
    {
        // Arrange
        _sdlg.Environment.Remove(PassphraseSource.EnvironmentVariable);
        var prompt = new ScriptedPrompt("typed at the terminal", "typed at the terminal");
        _sdlg.Prompt = prompt;

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(2, prompt.Prompts.Count);
        _sdlg.Environment[PassphraseSource.EnvironmentVariable] = "typed at the terminal";
        Assert.Equal(ExitCodes.Ok, (await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"))).ExitCode);
    }

    [Fact]
    public async Task Init_PromptedPassphrasesDiffer_FailsAndCreatesNothing()
    {
        // Arrange
        _sdlg.Environment.Remove(PassphraseSource.EnvironmentVariable);
        _sdlg.Prompt = new ScriptedPrompt("typed at the terminal", "typed at the terminax");

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive");

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("do not match", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_sdlg.KeyStorePath("a")));
    }

    [Fact]
    public async Task Init_PassphraseFile_WinsOverEnvironmentAndUsesTheFirstLine()
    {
        // Arrange
        var file = Path.Combine(_sdlg.Root, "passphrase.txt");
        await File.WriteAllTextAsync(file, "from the file, line one\nignored\n");

        // Act
        var result = await _sdlg.RunAsync("keys", "init", "--profile", _sdlg.ProfileDirectory("a"), "--kdf-profile", "interactive",
            "--passphrase-file", file);

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        _sdlg.Environment[PassphraseSource.EnvironmentVariable] = "from the file, line one";
        Assert.Equal(ExitCodes.Ok, (await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"))).ExitCode);
    }

    [Fact]
    public async Task Init_WithoutProfileOption_UsesSdlgProfileThenHome()
    {
        // Arrange
        var fromEnvironment = _sdlg.ProfileDirectory("from-env");
        _sdlg.Environment[Profile.EnvironmentVariable] = fromEnvironment;

        // Act
        var first = await _sdlg.RunAsync("keys", "init", "--kdf-profile", "interactive");
        _sdlg.Environment.Remove(Profile.EnvironmentVariable);
        var second = await _sdlg.RunAsync("keys", "init", "--kdf-profile", "interactive");

        // Assert
        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.True(File.Exists(Path.Combine(fromEnvironment, "device.key")));
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.True(File.Exists(Path.Combine(_sdlg.Root, "home", ".config", "securedialogue", "device.key")));
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex DeviceIdPattern();

    [GeneratedRegex("^[0-9]{5}( [0-9]{5}){5}$")]
    private static partial Regex FingerprintPattern();

    [GeneratedRegex("^[0-9a-f]{260}$")]
    private static partial Regex PublicKeyPattern();
}
