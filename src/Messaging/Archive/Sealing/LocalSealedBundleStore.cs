using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Sealed bundles in a folder. A bundle is copied to a temporary file beside its final name while its SHA-256 is
/// computed, flushed to disk, made read-only (0444), renamed into place (atomic, never over an existing file) and the
/// directory entry flushed; its hash is returned and also written beside it as <c>NAME.sha256</c> (read-only, in the
/// format of <c>sha256sum -c</c>). The operating system's owner could still change the mode: this store makes changes
/// detectable (<see cref="CheckAsync"/>), not impossible; S3 Object Lock is the immutable backend.
/// </summary>
internal sealed partial class LocalSealedBundleStore : ISealedBundleStore
{
    private const int CopyBufferSize = 128 * 1024;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Writable = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private readonly string _root;

    public LocalSealedBundleStore(string root)
    {
        _root = Path.GetFullPath(root);
        CreateDirectory(_root);
    }

    public async Task<SealedObject> PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        SealedNames.Check(name);
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(name);
        var directory = Path.GetDirectoryName(path)!;
        CreateDirectory(directory);
        if (File.Exists(path))
        {
            throw new SealedStoreException($"A sealed bundle named {name} exists already; sealed files are never replaced.");
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
        try
        {
            byte[] hash;
            long size;
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(temporary, options))
            {
                (hash, size) = await CopyHashingAsync(content, file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            MakeReadOnly(temporary);
            File.Move(temporary, path, overwrite: false);
            var record = string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(hash)}  {Path.GetFileName(path)}\n");
            var sidecar = path + ".sha256";
            await File.WriteAllTextAsync(sidecar + ".part", record, Encoding.ASCII, cancellationToken).ConfigureAwait(false);
            MakeReadOnly(sidecar + ".part");
            File.Move(sidecar + ".part", sidecar, overwrite: true);
            FlushDirectory(directory);
            return new SealedObject("Local", name, null, hash, size, null);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new SealedStoreException($"A sealed bundle named {name} exists already; sealed files are never replaced.", e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary); // unlinking needs a writable directory, not a writable file
            }
        }
    }

    public Task<Stream> OpenReadAsync(SealedObject sealedObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sealedObject);
        SealedNames.Check(sealedObject.Key);
        return Task.FromResult<Stream>(new FileStream(PathOf(sealedObject.Key), FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous));
    }

    public async Task<SealCheck> CheckAsync(SealedObject sealedObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sealedObject);
        SealedNames.Check(sealedObject.Key);
        var path = PathOf(sealedObject.Key);
        if (!File.Exists(path))
        {
            return SealCheck.Missing;
        }

        await using (var file = await OpenReadAsync(sealedObject, cancellationToken).ConfigureAwait(false))
        {
            var (hash, size) = await CopyHashingAsync(file, Stream.Null, cancellationToken).ConfigureAwait(false);
            if (size != sealedObject.Size || !CryptographicOperations.FixedTimeEquals(hash, sealedObject.Sha256))
            {
                return SealCheck.Modified;
            }
        }

        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & Writable) == 0 ? SealCheck.Intact : SealCheck.Unprotected;
    }

    internal string PathOf(string name) => Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar));

    private static async Task<(byte[] Hash, long Size)> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            size += read;
        }

        return (sha.GetHashAndReset(), size);
    }

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, ReadOnly);
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // The rename is durable only once the directory entry is on disk: fsync the directory (POSIX; a no-op elsewhere).
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
