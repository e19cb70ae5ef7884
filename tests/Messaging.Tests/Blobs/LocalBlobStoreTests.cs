using SecureDialogue.Messaging.Blobs;

namespace SecureDialogue.Messaging.Tests.Blobs;

/// <summary>The storage contract on the embedded default, a folder.</summary>
public sealed class LocalBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("sdlg-blobs-");

    private protected override IBlobStore CreateStore(long maxBlobSize = BlobStorageOptions.DefaultMaxBlobSize) =>
        new LocalBlobStore(_root.FullName, new BlobStorageOptions { PartSize = PartSize, MaxBlobSize = maxBlobSize }, Time);

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Complete_LeavesNoTemporaryFilesAndOwnerOnlyPermissions()
    {
        var store = CreateStore();
        var id = await CommitAsync(store, Blob(300));

        var files = System.IO.Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(_root.FullName, "blobs", id.Value[..2], id.Value)], files);
        Assert.Empty(System.IO.Directory.GetDirectories(Path.Combine(_root.FullName, "uploads")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[0]));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_root.FullName + "/blobs"));
        }
    }

    [Fact]
    public void UploadId_Parse_RefusesAnythingButLowerHex()
    {
        Assert.True(BlobUploadId.TryParse(BlobUploadId.New().Value, out _));
        foreach (var text in new[] { null, "", "../../etc/passwd", new string('A', 32), new string('a', 31), new string('g', 32) })
        {
            Assert.False(BlobUploadId.TryParse(text, out _));
            Assert.False(BlobId.TryParse(text, out _));
        }
    }
}
