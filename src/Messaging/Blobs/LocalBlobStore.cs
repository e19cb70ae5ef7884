using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// The embedded default: blobs in a folder (owner-only on Unix).
/// <code>
/// {root}/uploads/{upload id}/upload        "length part-size created-at-ms", written once
/// {root}/uploads/{upload id}/00001.part    acknowledged parts (written to a temporary file, fsynced, renamed)
/// {root}/blobs/{id[0..2]}/{id}             committed blobs (assembled, hashed, fsynced, renamed)
/// </code>
/// A part or a blob appears under its final name only complete and flushed to disk; a rename is atomic.
/// </summary>
internal sealed class LocalBlobStore : IBlobStore
{
    private const int CopyBufferSize = 128 * 1024;
    private readonly string _uploads;
    private readonly string _blobs;
    private readonly int _partSize;
    private readonly TimeSpan _abandonedAge;
    private readonly TimeProvider _time;

    public LocalBlobStore(string root, BlobStorageOptions options, TimeProvider time)
    {
        _uploads = Path.Combine(root, "uploads");
        _blobs = Path.Combine(root, "blobs");
        _partSize = options.PartSize;
        _abandonedAge = options.AbandonedUploadAge;
        MaxBlobSize = options.MaxBlobSize;
        _time = time;
        CreatePrivateDirectory(root);
        CreatePrivateDirectory(_uploads);
        CreatePrivateDirectory(_blobs);
    }

    public long MaxBlobSize { get; }

    public async Task<Result<BlobUpload, BlobError>> BeginUploadAsync(long length, CancellationToken cancellationToken = default)
    {
        if (length <= 0)
        {
            return BlobError.InvalidLength;
        }

        if (length > MaxBlobSize)
        {
            return BlobError.TooLarge;
        }

        var upload = new BlobUpload(BlobUploadId.New(), length, _partSize, TruncateToMilliseconds(_time.GetUtcNow()));
        var directory = UploadDirectory(upload.Id);
        CreatePrivateDirectory(directory);
        var state = string.Create(CultureInfo.InvariantCulture, $"{upload.Length} {upload.PartSize} {upload.CreatedAt.ToUnixTimeMilliseconds()}\n");
        await WriteAtomicallyAsync(Path.Combine(directory, "upload"), System.Text.Encoding.ASCII.GetBytes(state), cancellationToken).ConfigureAwait(false);
        return upload;
    }

    public Task<Result<BlobUpload, BlobError>> GetUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default) =>
        ReadUploadAsync(id, cancellationToken);

    public async Task<Result<BlobPart, BlobError>> UploadPartAsync(BlobUploadId id, int number, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!(await ReadUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out var error))
        {
            return error;
        }

        if (number < 1 || number > upload.PartCount)
        {
            return BlobError.InvalidPartNumber;
        }

        var length = upload.PartLength(number);
        var directory = UploadDirectory(id);
        var temporary = Path.Combine(directory, $".{number:D5}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = CreateNewFile(temporary))
            {
                await CopyAsync(new ExactLengthStream(content, length), file, null, null, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, PartPath(directory, number), overwrite: true);
            return new BlobPart(number, length);
        }
        catch (Exception e) when (ExactLengthStream.IsMismatch(e))
        {
            return BlobError.PartLengthMismatch;
        }
        catch (DirectoryNotFoundException)
        {
            return BlobError.NotFound; // aborted or cleaned up meanwhile
        }
        finally
        {
            TryDeleteFile(temporary);
        }
    }

    public async Task<Result<IReadOnlyList<BlobPart>, BlobError>> ListPartsAsync(BlobUploadId id, CancellationToken cancellationToken = default)
    {
        if (!(await ReadUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out var error))
        {
            return error;
        }

        return Result<IReadOnlyList<BlobPart>, BlobError>.Ok(AcknowledgedParts(upload));
    }

    public async Task<Result<BlobInfo, BlobError>> CompleteUploadAsync(BlobUploadId id, ReadOnlyMemory<byte> ciphertextHash, CancellationToken cancellationToken = default)
    {
        if (!(await ReadUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out var error))
        {
            return error;
        }

        if (ciphertextHash.Length != AttachmentFormat.HashSize)
        {
            return BlobError.HashMismatch;
        }

        if (AcknowledgedParts(upload).Count != upload.PartCount)
        {
            return BlobError.IncompleteUpload;
        }

        var directory = UploadDirectory(id);
        var assembled = Path.Combine(directory, $".assembled.{Guid.NewGuid():N}.tmp");
        try
        {
            using var hash = new AttachmentCiphertextHash();
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var output = CreateNewFile(assembled))
            {
                for (var number = 1; number <= upload.PartCount; number++)
                {
                    await using var part = OpenRead(PartPath(directory, number));
                    total += await CopyAsync(part, output, hash, sha256, cancellationToken).ConfigureAwait(false);
                }

                output.Flush(flushToDisk: true);
            }

            if (total != upload.Length || !AttachmentCiphertextHash.Matches(ciphertextHash.Span, hash.Finish()))
            {
                DeleteDirectory(directory);
                return BlobError.HashMismatch;
            }

            var blob = BlobId.FromHash(ciphertextHash.Span);
            var path = BlobPath(blob);
            CreatePrivateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
            {
                try
                {
                    File.Move(assembled, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Committed concurrently by another upload of the same bytes.
                }
            }

            DeleteDirectory(directory);
            return new BlobInfo(blob, upload.Length) { Sha256 = sha256.GetHashAndReset() };
        }
        catch (DirectoryNotFoundException)
        {
            return BlobError.NotFound;
        }
        catch (FileNotFoundException)
        {
            return BlobError.IncompleteUpload; // a part vanished: aborted meanwhile
        }
        finally
        {
            TryDeleteFile(assembled);
        }
    }

    public Task<BlobError> AbortUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default)
    {
        var directory = UploadDirectory(id);
        if (!System.IO.Directory.Exists(directory))
        {
            return Task.FromResult(BlobError.NotFound);
        }

        DeleteDirectory(directory);
        return Task.FromResult(BlobError.None);
    }

    public Task<Result<BlobInfo, BlobError>> GetInfoAsync(BlobId id, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(BlobPath(id));
        return Task.FromResult(file.Exists ? new BlobInfo(id, file.Length) : Result<BlobInfo, BlobError>.Fail(BlobError.NotFound));
    }

    public Task<Result<BlobRead, BlobError>> OpenReadAsync(BlobId id, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        FileStream stream;
        try
        {
            stream = OpenRead(BlobPath(id));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(Result<BlobRead, BlobError>.Fail(BlobError.NotFound));
        }

        var total = stream.Length;
        var count = length ?? (total - offset);
        if (offset < 0 || offset > total || count < 0 || count > total - offset)
        {
            stream.Dispose();
            return Task.FromResult(Result<BlobRead, BlobError>.Fail(BlobError.InvalidRange));
        }

        stream.Position = offset;
        return Task.FromResult(Result<BlobRead, BlobError>.Ok(new BlobRead(new BoundedReadStream(stream, count), offset, count, total)));
    }

    public Task<BlobError> DeleteAsync(BlobId id, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(id);
        if (!File.Exists(path))
        {
            return Task.FromResult(BlobError.NotFound);
        }

        File.Delete(path);
        return Task.FromResult(BlobError.None);
    }

    public async Task<int> CleanupAbandonedUploadsAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = _time.GetUtcNow() - _abandonedAge;
        var removed = 0;
        foreach (var directory in System.IO.Directory.EnumerateDirectories(_uploads))
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset createdAt;
            if (BlobUploadId.TryParse(Path.GetFileName(directory), out var id) &&
                (await ReadUploadAsync(id, cancellationToken).ConfigureAwait(false)).TryGetValue(out var upload, out _))
            {
                createdAt = upload.CreatedAt;
            }
            else
            {
                createdAt = System.IO.Directory.GetLastWriteTimeUtc(directory); // a begin that never finished writing its state
            }

            if (createdAt <= cutoff)
            {
                DeleteDirectory(directory);
                removed++;
            }
        }

        return removed;
    }

    private List<BlobPart> AcknowledgedParts(BlobUpload upload)
    {
        var parts = new List<BlobPart>();
        var directory = UploadDirectory(upload.Id);
        for (var number = 1; number <= upload.PartCount; number++)
        {
            var file = new FileInfo(PartPath(directory, number));
            if (file.Exists && file.Length == upload.PartLength(number))
            {
                parts.Add(new BlobPart(number, file.Length));
            }
        }

        return parts;
    }

    private async Task<Result<BlobUpload, BlobError>> ReadUploadAsync(BlobUploadId id, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path.Combine(UploadDirectory(id), "upload"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return BlobError.NotFound;
        }

        var fields = text.Split(' ', StringSplitOptions.TrimEntries);
        return fields.Length == 3 &&
               long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length) &&
               int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partSize) && partSize > 0 &&
               long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var createdAt)
            ? new BlobUpload(id, length, partSize, DateTimeOffset.FromUnixTimeMilliseconds(createdAt))
            : BlobError.NotFound;
    }

    private string UploadDirectory(BlobUploadId id) => Path.Combine(_uploads, id.Value);

    private static string PartPath(string directory, int number) => Path.Combine(directory, $"{number:D5}.part");

    private string BlobPath(BlobId id) => Path.Combine(_blobs, id.Value[..2], id.Value);

    private static async Task<long> CopyAsync(Stream source, Stream destination, AttachmentCiphertextHash? hash, IncrementalHash? sha256, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash?.Append(buffer.AsSpan(0, read));
                sha256?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] contents, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = CreateNewFile(temporary))
            {
                await file.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            TryDeleteFile(temporary);
        }
    }

    private static FileStream CreateNewFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static void DeleteDirectory(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
