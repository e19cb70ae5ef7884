using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using SecureDialogue.Messaging.Blobs;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Sealed bundles in an S3 bucket with Object Lock: each bundle is one PutObject with retention mode COMPLIANCE and a
/// retain-until date of now plus <see cref="SealedStorageOptions.RetentionYears"/>, sent with its Content-MD5 (required
/// with Object Lock) and its SHA-256 as metadata. Until that date S3 refuses to delete or overwrite that object version,
/// for every user including the bucket's owner and root; writing the same key again creates a new version beside it.
/// The bucket is created with Object Lock (and so versioning) when <see cref="S3SealedStoreOptions.CreateBucket"/> is set;
/// otherwise its Object Lock configuration is checked before the first seal.
/// </summary>
internal sealed class S3SealedBundleStore : ISealedBundleStore
{
    public const string Sha256Metadata = "x-amz-meta-sdlg-sha256";
    private const int CopyBufferSize = 128 * 1024;
    private readonly IAmazonS3 _s3;
    private readonly S3SealedStoreOptions _options;
    private readonly int _retentionYears;
    private readonly TimeProvider _time;
    private readonly string? _spoolDirectory;
    private readonly Lazy<Task> _bucketReady;

    public S3SealedBundleStore(IAmazonS3 s3, SealedStorageOptions options, TimeProvider time)
    {
        _s3 = s3;
        _options = options.S3;
        _retentionYears = options.RetentionYears;
        _spoolDirectory = options.SpoolDirectory;
        _time = time;
        _bucketReady = new Lazy<Task>(EnsureBucketAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private string Bucket => _options.Bucket;

    public async Task<SealedObject> PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        SealedNames.Check(name);
        ArgumentNullException.ThrowIfNull(content);
        await _bucketReady.Value.ConfigureAwait(false);

        // S3 needs the length and the MD5 before the body: spool to a private file while hashing.
        await using var spool = SealingSpool.Create(_spoolDirectory);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[CopyBufferSize];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        var hash = sha.GetHashAndReset();
        var size = spool.Length;
        spool.Position = 0;
        var now = _time.GetUtcNow();
        var retainUntil = new DateTimeOffset(now.UtcDateTime.AddYears(_retentionYears), TimeSpan.Zero);
        retainUntil = DateTimeOffset.FromUnixTimeSeconds(retainUntil.ToUnixTimeSeconds());
        var key = _options.Prefix + name;
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = spool,
            AutoCloseStream = false,
            ContentType = "application/vnd.securedialogue.bundle",
            MD5Digest = Convert.ToBase64String(md5.GetHashAndReset()),
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = retainUntil.UtcDateTime,
        };
        request.Metadata.Add(Sha256Metadata, Convert.ToHexStringLower(hash));
        PutObjectResponse response;
        try
        {
            response = await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new SealedStoreException($"S3 refused to store the sealed bundle {key} in {Bucket}: {e.ErrorCode} ({(int)e.StatusCode}).", e);
        }

        if (string.IsNullOrEmpty(response.VersionId))
        {
            throw new SealedStoreException($"S3 stored {key} without a version id: bucket {Bucket} is not versioned, so it has no Object Lock.");
        }

        return new SealedObject("S3", key, response.VersionId, hash, size, retainUntil);
    }

    public async Task<Stream> OpenReadAsync(SealedObject sealedObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sealedObject);
        var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId }, cancellationToken)
            .ConfigureAwait(false);
        return response.ResponseStream;
    }

    public async Task<SealCheck> CheckAsync(SealedObject sealedObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sealedObject);
        try
        {
            using (var response = await _s3.GetObjectAsync(
                       new GetObjectRequest { BucketName = Bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId }, cancellationToken).ConfigureAwait(false))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[CopyBufferSize];
                long size = 0;
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    size += read;
                }

                if (size != sealedObject.Size || !CryptographicOperations.FixedTimeEquals(sha.GetHashAndReset(), sealedObject.Sha256))
                {
                    return SealCheck.Modified;
                }
            }

            var retention = await _s3.GetObjectRetentionAsync(
                new GetObjectRetentionRequest { BucketName = Bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId }, cancellationToken).ConfigureAwait(false);
            var until = retention.Retention?.RetainUntilDate;
            return retention.Retention?.Mode == ObjectLockRetentionMode.Compliance && until is { } date &&
                   (sealedObject.RetainUntil is null || new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) >= sealedObject.RetainUntil.Value.AddSeconds(-1))
                ? SealCheck.Intact
                : SealCheck.Unprotected;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return SealCheck.Missing;
        }
    }

    private async Task EnsureBucketAsync()
    {
        if (_options.CreateBucket)
        {
            try
            {
                await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, ObjectLockEnabledForBucket = true }).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Created earlier: checked below like any other.
            }
        }

        GetObjectLockConfigurationResponse configuration;
        try
        {
            configuration = await _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = Bucket }).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new SealedStoreException(
                $"The sealed bundle bucket {Bucket} has no Object Lock ({e.ErrorCode}). Object Lock can only be enabled when a bucket is created: " +
                "create a new bucket with it, or set Archive:Sealing:S3:CreateBucket=true.", e);
        }

        if (configuration.ObjectLockConfiguration?.ObjectLockEnabled != ObjectLockEnabled.Enabled)
        {
            throw new SealedStoreException($"The sealed bundle bucket {Bucket} does not have Object Lock enabled.");
        }
    }

    /// <summary>A client for the sealed bucket (path-style, checksums only when required, as for blobs).</summary>
    public static AmazonS3Client CreateClient(S3SealedStoreOptions options) => S3BlobStore.CreateClient(options.ToClientOptions());
}
