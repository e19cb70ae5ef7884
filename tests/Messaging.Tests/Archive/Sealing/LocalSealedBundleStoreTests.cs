using System.Security.Cryptography;
using SecureDialogue.Messaging.Archive.Sealing;

namespace SecureDialogue.Messaging.Tests.Archive.Sealing;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalSealedBundleStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("sdlg-sealed-");

    public void Dispose()
    {
        foreach (var file in _root.GetFiles("*", SearchOption.AllDirectories))
        {
            file.UnixFileMode |= UnixFileMode.UserWrite;
        }

        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task Put_FileIsReadOnlyWithHashRecordedAndReturned()
    {
        var store = new LocalSealedBundleStore(_root.FullName);
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        var sealedObject = await store.PutAsync("reviews/r1/a.sdlb", new MemoryStream(bytes));

        var path = Path.Combine(_root.FullName, "reviews", "r1", "a.sdlb");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Equal(SHA256.HashData(bytes), sealedObject.Sha256);
        Assert.Equal(bytes.Length, sealedObject.Size);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal($"{sealedObject.Sha256Hex}  a.sdlb\n", await File.ReadAllTextAsync(path + ".sha256"));
        Assert.Equal(["a.sdlb", "a.sdlb.sha256"], System.IO.Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(sealedObject));
    }

    [Fact]
    public async Task Check_ByteChangedAfterMakingWritable_Modified()
    {
        var store = new LocalSealedBundleStore(_root.FullName);
        var sealedObject = await store.PutAsync("b.sdlb", new MemoryStream(RandomNumberGenerator.GetBytes(5000)));
        var path = Path.Combine(_root.FullName, "b.sdlb");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 4321;
            var b = file.ReadByte();
            file.Position = 4321;
            file.WriteByte((byte)(b ^ 1));
        }

        Assert.Equal(SealCheck.Modified, await store.CheckAsync(sealedObject));
    }

    [Fact]
    public async Task Check_MadeWritableOnly_Unprotected_AndDeleted_Missing()
    {
        var store = new LocalSealedBundleStore(_root.FullName);
        var sealedObject = await store.PutAsync("c.sdlb", new MemoryStream(RandomNumberGenerator.GetBytes(100)));
        var path = Path.Combine(_root.FullName, "c.sdlb");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(SealCheck.Unprotected, await store.CheckAsync(sealedObject));
        File.Delete(path);
        Assert.Equal(SealCheck.Missing, await store.CheckAsync(sealedObject));
    }

    [Fact]
    public async Task Put_SameNameTwice_RefusedAndFirstKept()
    {
        var store = new LocalSealedBundleStore(_root.FullName);
        var first = await store.PutAsync("d.sdlb", new MemoryStream([1, 2, 3]));

        await Assert.ThrowsAsync<SealedStoreException>(() => store.PutAsync("d.sdlb", new MemoryStream([4, 5, 6])));

        Assert.Equal(SealCheck.Intact, await store.CheckAsync(first));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root.FullName, "d.sdlb")));
        Assert.DoesNotContain(System.IO.Directory.GetFiles(_root.FullName), f => f.EndsWith(".part", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../x.sdlb")]
    [InlineData("/abs.sdlb")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    public async Task Put_BadName_Refused(string name)
    {
        var store = new LocalSealedBundleStore(_root.FullName);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(name, new MemoryStream([1])));
    }
}
