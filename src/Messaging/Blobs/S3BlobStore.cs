using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Blobs in an S3 bucket, through AWSSDK.S3 with S3 multipart uploads underneath.
/// <code>
/// {prefix}uploads/{upload id}   "s3-upload-id length part-size created-at-ms", written once at begin
/// {prefix}staging/{upload id}   the multipart upload's object (exists only between complete and commit)
/// {prefix}blobs/{blob id}       committed blobs, copied server-side from staging once the hash verified
/// </code>
/// Checksums are computed only when S3 requires them (<c>WHEN_REQUIRED</c>), which every S3-compatible
/// server accepts; the content is protected by the attachment hash instead.
/// </summary>
internal sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const int HashBufferSize = 256 * 1024;
    private const int SpoolBufferSize = 128 * 1024;
    private readonly IAmazonS3 _s3;
    private readonly S3BlobStoreOptions _options;
    private readonly int _partSize;
    private readonly TimeSpan _abandonedAge;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _bucketReady;
    private readonly ConcurrentDictionary<BlobUploadId, UploadState> _states = new();

    public S3BlobStore(IAmazonS3 s3, BlobStorageOptions options, TimeProvider time)
    {
        _s3 = s3;
        _options = options.S3;
        _partSize = options.PartSize;
        _abandonedAge = options.AbandonedUploadAge;
        MaxBlobSize = options.MaxBlobSize;
        _time = time;
        _bucketReady = new Lazy<Task>(EnsureBucketAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public long MaxBlobSize { get; }

    private string Bucket => _options.Bucket;

    /// <summary>A client configured for S3-compatible servers: path-style, checksums only when required.</summary>
    public static AmazonS3Client CreateClient(S3BlobStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

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

        await _bucketReady.Value.ConfigureAwait(false);
        var upload = new BlobUpload(BlobUploadId.New(), length, _partSize, DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds()));
        var initiated = await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = StagingKey(upload.Id) }, cancellationToken).ConfigureAwait(false);
        var state = new UploadState(upload, initiated.UploadId);
        await _s3.PutObjectAsync(
            new PutObjectRequest { BucketName = Bucket, Key = UploadKey(upload.Id), ContentBody = state.Serialize(), ContentType = "text/plain" },
            cancellationToken).ConfigureAwait(false);
        _states[upload.Id] = state;
        return upload;
    }

    public async Task<Result<BlobUpload, BlobError>> GetUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default) =>
        await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is { } state ? state.Upload : BlobError.NotFound;

    public async Task<Result<BlobPart, BlobError>> UploadPartAsync(BlobUploadId id, int number, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return BlobError.NotFound;
        }

        if (number < 1 || number > state.Upload.PartCount)
        {
            return BlobError.InvalidPartNumber;
        }

        // The part is spooled to a private temporary file first: S3 needs its exact length before the body,
        // the SDK needs a seekable body to sign and retry it, and a short or long part never reaches S3.
        var length = state.Upload.PartLength(number);
        await using var spool = CreateSpoolFile();
        try
        {
            await new ExactLengthStream(content, length).CopyToAsync(spool, SpoolBufferSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ExactLengthStream.IsMismatch(e))
        {
            return BlobError.PartLengthMismatch;
        }

        spool.Position = 0;
        try
        {
            await _s3.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = StagingKey(id),
                    UploadId = state.S3UploadId,
                    PartNumber = number,
                    InputStream = spool,
                },
                cancellationToken).ConfigureAwait(false);
            return new BlobPart(number, length);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return BlobError.NotFound;
        }
    }

    public async Task<Result<IReadOnlyList<BlobPart>, BlobError>> ListPartsAsync(BlobUploadId id, CancellationToken cancellationToken = default)
    {
        if (await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return BlobError.NotFound;
        }

        var parts = await AcknowledgedPartsAsync(state, cancellationToken).ConfigureAwait(false);
        return parts is null ? BlobError.NotFound : Result<IReadOnlyList<BlobPart>, BlobError>.Ok([.. parts.Select(p => new BlobPart(p.Number, p.Length))]);
    }

    public async Task<Result<BlobInfo, BlobError>> CompleteUploadAsync(BlobUploadId id, ReadOnlyMemory<byte> ciphertextHash, CancellationToken cancellationToken = default)
    {
        if (await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return BlobError.NotFound;
        }

        if (ciphertextHash.Length != AttachmentFormat.HashSize)
        {
            return BlobError.HashMismatch;
        }

        var parts = await AcknowledgedPartsAsync(state, cancellationToken).ConfigureAwait(false);
        if (parts is null)
        {
            return BlobError.NotFound;
        }

        if (parts.Count != state.Upload.PartCount)
        {
            return BlobError.IncompleteUpload;
        }

        await _s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = StagingKey(id),
                UploadId = state.S3UploadId,
                PartETags = [.. parts.Select(p => new PartETag(p.Number, p.ETag))],
            },
            cancellationToken).ConfigureAwait(false);

        // The staging object is now readable: hash it as the client should have, then commit or discard.
        var (length, matches, sha256) = await HashObjectAsync(StagingKey(id), ciphertextHash, cancellationToken).ConfigureAwait(false);
        if (length != state.Upload.Length || !matches)
        {
            await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
            return BlobError.HashMismatch;
        }

        var blob = BlobId.FromHash(ciphertextHash.Span);
        if (await HeadAsync(BlobKey(blob), cancellationToken).ConfigureAwait(false) is null)
        {
            await _s3.CopyObjectAsync(
                new CopyObjectRequest
                {
                    SourceBucket = Bucket,
                    SourceKey = StagingKey(id),
                    DestinationBucket = Bucket,
                    DestinationKey = BlobKey(blob),
                },
                cancellationToken).ConfigureAwait(false);
        }

        await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
        return new BlobInfo(blob, state.Upload.Length) { Sha256 = sha256 };
    }

    public async Task<BlobError> AbortUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default)
    {
        if (await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return BlobError.NotFound;
        }

        await AbortMultipartAsync(StagingKey(id), state.S3UploadId, cancellationToken).ConfigureAwait(false);
        await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
        return BlobError.None;
    }

    public async Task<Result<BlobInfo, BlobError>> GetInfoAsync(BlobId id, CancellationToken cancellationToken = default)
    {
        await _bucketReady.Value.ConfigureAwait(false);
        return await HeadAsync(BlobKey(id), cancellationToken).ConfigureAwait(false) is { } length
            ? new BlobInfo(id, length)
            : BlobError.NotFound;
    }

    public async Task<Result<BlobRead, BlobError>> OpenReadAsync(BlobId id, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        await _bucketReady.Value.ConfigureAwait(false);
        if (await HeadAsync(BlobKey(id), cancellationToken).ConfigureAwait(false) is not { } total)
        {
            return BlobError.NotFound;
        }

        var count = length ?? (total - offset);
        if (offset < 0 || offset > total || count < 0 || count > total - offset)
        {
            return BlobError.InvalidRange;
        }

        if (count == 0)
        {
            return new BlobRead(Stream.Null, offset, 0, total);
        }

        try
        {
            var response = await _s3.GetObjectAsync(
                new GetObjectRequest { BucketName = Bucket, Key = BlobKey(id), ByteRange = new ByteRange(offset, offset + count - 1) },
                cancellationToken).ConfigureAwait(false);
            return new BlobRead(new BoundedReadStream(response.ResponseStream, count, response), offset, count, total);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return BlobError.NotFound;
        }
    }

    public async Task<BlobError> DeleteAsync(BlobId id, CancellationToken cancellationToken = default)
    {
        await _bucketReady.Value.ConfigureAwait(false);
        if (await HeadAsync(BlobKey(id), cancellationToken).ConfigureAwait(false) is null)
        {
            return BlobError.NotFound;
        }

        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = BlobKey(id) }, cancellationToken).ConfigureAwait(false);
        return BlobError.None;
    }

    public async Task<int> CleanupAbandonedUploadsAsync(CancellationToken cancellationToken = default)
    {
        await _bucketReady.Value.ConfigureAwait(false);
        var cutoff = _time.GetUtcNow() - _abandonedAge;
        var removed = 0;
        var known = new HashSet<string>(StringComparer.Ordinal);
        var listing = new ListObjectsV2Request { BucketName = Bucket, Prefix = _options.Prefix + "uploads/" };
        do
        {
            var page = await _s3.ListObjectsV2Async(listing, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (!BlobUploadId.TryParse(item.Key[listing.Prefix.Length..], out var id) ||
                    await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is not { } state)
                {
                    continue;
                }

                known.Add(StagingKey(id));
                if (state.Upload.CreatedAt <= cutoff)
                {
                    await AbortMultipartAsync(StagingKey(id), state.S3UploadId, cancellationToken).ConfigureAwait(false);
                    await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
                    removed++;
                }
            }

            listing.ContinuationToken = page.NextContinuationToken;
        }
        while (!string.IsNullOrEmpty(listing.ContinuationToken));

        // Multipart uploads whose state object was never written (a crash during begin), by S3's own clock.
        var multipart = await _s3.ListMultipartUploadsAsync(
            new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = _options.Prefix + "staging/" }, cancellationToken).ConfigureAwait(false);
        foreach (var orphan in multipart.MultipartUploads ?? [])
        {
            if (!known.Contains(orphan.Key) && orphan.Initiated is { } initiated && new DateTimeOffset(initiated.ToUniversalTime()) <= cutoff)
            {
                await AbortMultipartAsync(orphan.Key, orphan.UploadId, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    public void Dispose() => _s3.Dispose();

    private async Task<List<(int Number, long Length, string ETag)>?> AcknowledgedPartsAsync(UploadState state, CancellationToken cancellationToken)
    {
        var parts = new List<(int, long, string)>();
        var request = new ListPartsRequest { BucketName = Bucket, Key = StagingKey(state.Upload.Id), UploadId = state.S3UploadId };
        try
        {
            while (true)
            {
                var page = await _s3.ListPartsAsync(request, cancellationToken).ConfigureAwait(false);
                foreach (var part in page.Parts ?? [])
                {
                    var number = part.PartNumber ?? 0;
                    if (number >= 1 && number <= state.Upload.PartCount && part.Size == state.Upload.PartLength(number))
                    {
                        parts.Add((number, part.Size ?? 0, part.ETag));
                    }
                }

                if (page.IsTruncated != true)
                {
                    break;
                }

                request.PartNumberMarker = page.NextPartNumberMarker?.ToString(CultureInfo.InvariantCulture);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return [.. parts.DistinctBy(p => p.Item1).OrderBy(p => p.Item1)];
    }

    private async Task<(long Length, bool Matches, byte[] Sha256)> HashObjectAsync(string key, ReadOnlyMemory<byte> expected, CancellationToken cancellationToken)
    {
        using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        using var hash = new AttachmentCiphertextHash();
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        long length = 0;
        try
        {
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer.AsMemory(0, HashBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                sha256.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (length, AttachmentCiphertextHash.Matches(expected.Span, hash.Finish()), sha256.GetHashAndReset());
    }

    private async Task<long?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken)
                .ConfigureAwait(false);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task AbortMultipartAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already completed or aborted.
        }
    }

    private async Task DiscardAsync(BlobUploadId id, CancellationToken cancellationToken)
    {
        _states.TryRemove(id, out _);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = StagingKey(id) }, cancellationToken).ConfigureAwait(false);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = UploadKey(id) }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UploadState?> ReadStateAsync(BlobUploadId id, CancellationToken cancellationToken)
    {
        await _bucketReady.Value.ConfigureAwait(false);
        if (_states.TryGetValue(id, out var cached))
        {
            return cached;
        }

        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = UploadKey(id) }, cancellationToken)
                .ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            var state = UploadState.Parse(id, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            if (state is not null)
            {
                _states[id] = state;
            }

            return state;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureBucketAsync()
    {
        if (!_options.CreateBucket)
        {
            return;
        }

        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, ObjectLockEnabledForBucket = _options.ObjectLockEnabled }).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Created earlier (by this server or by an operator).
        }
    }

    private FileStream CreateSpoolFile()
    {
        var directory = string.IsNullOrEmpty(_options.SpoolDirectory) ? Path.GetTempPath() : _options.SpoolDirectory;
        System.IO.Directory.CreateDirectory(directory);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(Path.Combine(directory, $".sdlg-part.{Guid.NewGuid():N}.tmp"), options);
    }

    private string UploadKey(BlobUploadId id) => $"{_options.Prefix}uploads/{id.Value}";

    private string StagingKey(BlobUploadId id) => $"{_options.Prefix}staging/{id.Value}";

    private string BlobKey(BlobId id) => $"{_options.Prefix}blobs/{id.Value}";

    private sealed record UploadState(BlobUpload Upload, string S3UploadId)
    {
        public string Serialize() => string.Create(
            CultureInfo.InvariantCulture, $"{S3UploadId} {Upload.Length} {Upload.PartSize} {Upload.CreatedAt.ToUnixTimeMilliseconds()}\n");

        public static UploadState? Parse(BlobUploadId id, string text)
        {
            var fields = text.Split(' ', StringSplitOptions.TrimEntries);
            return fields.Length == 4 && fields[0].Length > 0 &&
                   long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length) &&
                   int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partSize) && partSize > 0 &&
                   long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var createdAt)
                ? new UploadState(new BlobUpload(id, length, partSize, DateTimeOffset.FromUnixTimeMilliseconds(createdAt)), fields[0])
                : null;
        }
    }
}
