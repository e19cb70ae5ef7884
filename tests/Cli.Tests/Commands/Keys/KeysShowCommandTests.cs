using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Keys;

public sealed class KeysShowCommandTests : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Show_WrongPassphrase_FailsWithClearMessage()
    {
        // Arrange
        await _sdlg.InitAsync("a");
        _sdlg.Environment[PassphraseSource.EnvironmentVariable] = "not the passphrase";

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"));

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("wrong passphrase", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not the passphrase", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Show_MissingStore_ExitsWithKeyStoreMissingBeforeAskingForAPassphrase()
    {
        // Arrange: a prompt that would throw if asked.
        _sdlg.Environment.Remove(PassphraseSource.EnvironmentVariable);
        _sdlg.Prompt = new ScriptedPrompt();

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("nowhere"), "--json");

        // Assert
        result.AssertOneLineError(ExitCodes.KeyStoreMissing);
        Assert.Contains(_sdlg.KeyStorePath("nowhere"), result.Error, StringComparison.Ordinal);
        Assert.Contains("sdlg keys init", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Show_Prompted_AsksOnce()
    {
        // Arrange
        await _sdlg.InitAsync("a");
        _sdlg.Environment.Remove(PassphraseSource.EnvironmentVariable);
        var prompt = new ScriptedPrompt(SdlgHarness.DefaultPassphrase);
        _sdlg.Prompt = prompt;

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"));

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Single(prompt.Prompts);
    }

    [Fact]
    public async Task Show_PassphraseFileMissing_FailsWithUsageError()
    {
        // Arrange
        await _sdlg.InitAsync("a");

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"),
            "--passphrase-file", Path.Combine(_sdlg.Root, "absent.txt"));

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains("absent.txt", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_DamagedStore_FailsWithoutCrashing()
    {
        // Arrange
        await _sdlg.InitAsync("a");
        var path = _sdlg.KeyStorePath("a");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0x01;
        File.Delete(path);
        await File.WriteAllBytesAsync(path, bytes);

        // Act
        var result = await _sdlg.RunAsync("keys", "show", "--profile", _sdlg.ProfileDirectory("a"));

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
    }
}
