using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using Xunit;

namespace SecureDialogue.Vault.Tests.Keys.Store;

/// <summary>A key store created once in a private temporary directory at the KDF floor.</summary>
public sealed class KeyStoreDiskFixture : IDisposable
{
    public KeyStoreDiskFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sdlg-keystore-");
        Path = System.IO.Path.Combine(Directory.FullName, "device.keys");
        Identity = DeviceIdentity.Create();
        CreateResult = KeyStoreFile.Create(Path, Identity, KeyStoreFixture.Passphrase, KdfParameters.Floor);
    }

    public DirectoryInfo Directory { get; }

    public string Path { get; }

    internal DeviceIdentity Identity { get; }

    public KeyStoreError CreateResult { get; }

    public void Dispose()
    {
        Identity.Dispose();
        Directory.Delete(recursive: true);
    }
}

public sealed class KeyStoreFileDiskTests : IClassFixture<KeyStoreDiskFixture>
{
    private readonly KeyStoreDiskFixture _fixture;

    public KeyStoreFileDiskTests(KeyStoreDiskFixture fixture) => _fixture = fixture;

    [Fact]
    public void Create_NewPath_Succeeds()
    {
        // Arrange
        var path = _fixture.Path;

        // Act
        var exists = File.Exists(path);

        // Assert
        Assert.Equal(KeyStoreError.None, _fixture.CreateResult);
        Assert.True(exists);
        Assert.Equal(KeyStoreFixture.FileSize, new FileInfo(path).Length);
    }

    [Fact]
    public void Open_CreatedStoreWithRightPassphrase_ReturnsTheSameIdentity()
    {
        // Arrange
        var path = _fixture.Path;

        // Act
        var result = KeyStoreFile.Open(path, KeyStoreFixture.Passphrase);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        using var identity = result.Value;
        Assert.Equal(_fixture.Identity.PublicKeys, identity.PublicKeys);
    }

    [Fact]
    public void Create_OnUnix_WritesFileReadableByOwnerOnly()
    {
        // Arrange: Windows has no Unix file modes (xunit 2 has no dynamic skip).
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Act
        var mode = File.GetUnixFileMode(_fixture.Path);

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void Create_LeavesNoTemporaryFileBehind()
    {
        // Arrange
        var directory = _fixture.Directory;

        // Act
        var files = directory.GetFiles("*", SearchOption.AllDirectories).Select(f => f.Name).ToList();

        // Assert
        Assert.Equal(["device.keys"], files);
    }

    [Fact]
    public void Create_ExistingFile_ReturnsAlreadyExistsAndLeavesItUntouched()
    {
        // Arrange
        var before = File.ReadAllBytes(_fixture.Path);
        using var other = DeviceIdentity.Create();

        // Act
        var result = KeyStoreFile.Create(_fixture.Path, other, "another good passphrase", KdfParameters.Floor);

        // Assert
        Assert.Equal(KeyStoreError.AlreadyExists, result);
        Assert.Equal(before, File.ReadAllBytes(_fixture.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567")]
    public void Create_PassphraseShorterThanEight_ReturnsPassphraseTooShortAndWritesNothing(string passphrase)
    {
        // Arrange
        var path = Path.Combine(_fixture.Directory.FullName, "short.keys");

        // Act
        var result = KeyStoreFile.Create(path, _fixture.Identity, passphrase, KdfParameters.Floor);

        // Assert
        Assert.Equal(KeyStoreError.PassphraseTooShort, result);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_KdfBelowFloor_ReturnsKdfBelowFloorAndWritesNothing()
    {
        // Arrange
        var path = Path.Combine(_fixture.Directory.FullName, "weak.keys");

        // Act
        var result = KeyStoreFile.Create(path, _fixture.Identity, KeyStoreFixture.Passphrase, new KdfParameters(1, 8));

        // Assert
        Assert.Equal(KeyStoreError.KdfBelowFloor, result);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Open_MissingFile_ReturnsNotFound()
    {
        // Arrange
        var path = Path.Combine(_fixture.Directory.FullName, "missing.keys");

        // Act
        var result = KeyStoreFile.Open(path, KeyStoreFixture.Passphrase);

        // Assert
        Assert.Equal(KeyStoreError.NotFound, result.Error);
    }

    [Fact]
    public void Open_OversizedFile_ReturnsMalformed()
    {
        // Arrange
        var path = Path.Combine(_fixture.Directory.FullName, "oversized.keys");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(_fixture.Path), .. new byte[5000]]);

        // Act
        var result = KeyStoreFile.Open(path, KeyStoreFixture.Passphrase);
        File.Delete(path);

        // Assert
        Assert.Equal(KeyStoreError.Malformed, result.Error);
    }
}
