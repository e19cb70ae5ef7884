using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Keys;

public sealed class KeysSafetyNumberCommandTests : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task SafetyNumber_TwoProfiles_IsTheSameOnBothSides()
    {
        // Arrange
        var alice = await _sdlg.InitAsync("alice");
        var bob = await _sdlg.InitAsync("bob");

        // Act
        var atAlice = await _sdlg.RunAsync("keys", "safety-number", bob.PublicKey, "--profile", _sdlg.ProfileDirectory("alice"), "--json");
        var atBob = await _sdlg.RunAsync("keys", "safety-number", alice.PublicKey, "--profile", _sdlg.ProfileDirectory("bob"), "--json");

        // Assert
        Assert.Equal(ExitCodes.Ok, atAlice.ExitCode);
        Assert.Equal(ExitCodes.Ok, atBob.ExitCode);
        using var a = JsonDocument.Parse(atAlice.Out);
        using var b = JsonDocument.Parse(atBob.Out);
        var number = a.RootElement.GetProperty("safetyNumber").GetString();
        Assert.Matches("^[0-9]{5}( [0-9]{5}){11}$", number);
        Assert.Equal(number, b.RootElement.GetProperty("safetyNumber").GetString());
        Assert.Equal(alice.Fingerprint, a.RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal(bob.Fingerprint, a.RootElement.GetProperty("peerFingerprint").GetString());
        Assert.Equal(bob.Fingerprint, b.RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal(alice.Fingerprint, b.RootElement.GetProperty("peerFingerprint").GetString());
    }

    [Fact]
    public async Task SafetyNumber_Text_PrintsNumberAndBothFingerprints()
    {
        // Arrange
        var alice = await _sdlg.InitAsync("alice");
        var bob = await _sdlg.InitAsync("bob");

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", bob.PublicKey, "--profile", _sdlg.ProfileDirectory("alice"));

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Safety number:", result.Out, StringComparison.Ordinal);
        Assert.Contains(alice.Fingerprint, result.Out, StringComparison.Ordinal);
        Assert.Contains(bob.Fingerprint, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SafetyNumber_PeerKeyInAFile_ReadsTheFile()
    {
        // Arrange
        await _sdlg.InitAsync("alice");
        var bob = await _sdlg.InitAsync("bob");
        var file = Path.Combine(_sdlg.Root, "bob.card");
        await File.WriteAllTextAsync(file, bob.PublicKey.ToUpperInvariant() + "\n");

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", file, "--profile", _sdlg.ProfileDirectory("alice"));

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(bob.Fingerprint, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-hex-at-all")]
    [InlineData("0x0101")]
    [InlineData("abc")]
    [InlineData("0101")]
    public async Task SafetyNumber_PeerKeyNotACard_FailsWithClearMessage(string peerKey)
    {
        // Arrange
        await _sdlg.InitAsync("alice");

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", peerKey, "--profile", _sdlg.ProfileDirectory("alice"));

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("peer key", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData(0, "version")]       // version byte
    [InlineData(2, "")]              // signing key
    [InlineData(40, "")]             // agreement key
    [InlineData(100, "signature")]   // self-signature
    public async Task SafetyNumber_PeerKeyWithAFlippedByte_IsRefused(int index, string expected)
    {
        // Arrange
        await _sdlg.InitAsync("alice");
        var bob = await _sdlg.InitAsync("bob");
        var bytes = Convert.FromHexString(bob.PublicKey);
        bytes[index] ^= 0x01;

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", Convert.ToHexStringLower(bytes), "--profile", _sdlg.ProfileDirectory("alice"));

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task SafetyNumber_OwnKey_IsRefused()
    {
        // Arrange
        var alice = await _sdlg.InitAsync("alice");

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", alice.PublicKey, "--profile", _sdlg.ProfileDirectory("alice"));

        // Assert
        result.AssertOneLineError(ExitCodes.Failed);
        Assert.Contains("own public key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SafetyNumber_MissingStore_ExitsWithKeyStoreMissing()
    {
        // Arrange
        var bob = await _sdlg.InitAsync("bob");

        // Act
        var result = await _sdlg.RunAsync("keys", "safety-number", bob.PublicKey, "--profile", _sdlg.ProfileDirectory("nobody"));

        // Assert
        result.AssertOneLineError(ExitCodes.KeyStoreMissing);
    }
}
