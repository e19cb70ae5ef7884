namespace SecureDialogue.Messaging.Blobs;

/// <summary>Where and how attachment blobs are stored (configuration section <c>Blobs</c>).</summary>
internal sealed record BlobStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Blobs";

    /// <summary>The default size limit: 2 GiB.</summary>
    public const long DefaultMaxBlobSize = 2L * 1024 * 1024 * 1024;

    /// <summary>The smallest part S3 accepts for every part but the last: 5 MiB.</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary><c>Local</c> (default: a folder under the data directory) or <c>S3</c>.</summary>
    public string Backend { get; set; } = "Local";

    /// <summary>The largest blob accepted, in bytes. <value>Default 2 GiB (2147483648).</value></summary>
    public long MaxBlobSize { get; set; } = DefaultMaxBlobSize;

    /// <summary>Bytes per uploaded part (5 MiB to 64 MiB). <value>Default 8 MiB.</value></summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>An upload begun longer ago than this is abandoned and removed. <value>Default 24 hours.</value></summary>
    public TimeSpan AbandonedUploadAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often abandoned uploads are looked for; zero disables the background cleanup. <value>Default 15 minutes.</value></summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The folder of the local store. <value>Default <c>{Data:Directory}/blobs</c>.</value></summary>
    public string? LocalDirectory { get; set; }

    /// <summary>The S3 backend's settings.</summary>
    public S3BlobStoreOptions S3 { get; set; } = new();

    internal IEnumerable<string> Validate()
    {
        if (Backend is not ("Local" or "S3"))
        {
            yield return $"Blobs:Backend must be Local or S3, not '{Backend}'.";
        }

        if (MaxBlobSize <= 0)
        {
            yield return "Blobs:MaxBlobSize must be positive.";
        }

        if (PartSize is < MinimumPartSize or > 64 * 1024 * 1024)
        {
            yield return "Blobs:PartSize must be between 5 MiB and 64 MiB.";
        }

        if (AbandonedUploadAge <= TimeSpan.Zero)
        {
            yield return "Blobs:AbandonedUploadAge must be positive.";
        }

        if (CleanupInterval < TimeSpan.Zero)
        {
            yield return "Blobs:CleanupInterval must not be negative.";
        }

        if (Backend == "S3")
        {
            foreach (var problem in S3.Validate(this))
            {
                yield return problem;
            }
        }
    }
}

/// <summary>An S3-compatible object store (Ceph RGW, MinIO, AWS, Garage), configuration section <c>Blobs:S3</c>.</summary>
internal sealed record S3BlobStoreOptions
{
    /// <summary>The largest object one server-side copy makes (S3's CopyObject limit): 5 GiB.</summary>
    public const long MaxCopySize = 5L * 1024 * 1024 * 1024;

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:7480</c>; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The signing region. <value>Default <c>us-east-1</c>.</value></summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The bucket. <value>Default <c>sdlg-blobs</c>.</value></summary>
    public string Bucket { get; set; } = "sdlg-blobs";

    /// <summary>Access key id; when empty, the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key (never logged).</summary>
    public string? SecretKey { get; set; }

    /// <summary>A key prefix for every object, e.g. <c>prod/</c>. <value>Default empty.</value></summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), needed by Ceph and MinIO. <value>Default true.</value></summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Create the bucket at start-up when it does not exist. <value>Default false.</value></summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// Create the bucket with S3 Object Lock enabled (it can only be enabled at creation), so that archived
    /// blobs can later be stored under retention. <value>Default false.</value>
    /// </summary>
    public bool ObjectLockEnabled { get; set; }

    /// <summary>
    /// Where a part is spooled while it is received, before it goes to S3 (one part per upload in flight,
    /// deleted when sent). <value>Default: the system temporary directory.</value>
    /// </summary>
    public string? SpoolDirectory { get; set; }

    internal IEnumerable<string> Validate(BlobStorageOptions parent)
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            yield return "Blobs:S3:Bucket is required.";
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return "Blobs:S3:AccessKey and Blobs:S3:SecretKey go together.";
        }

        if (parent.MaxBlobSize > MaxCopySize)
        {
            yield return "Blobs:MaxBlobSize must be at most 5 GiB with the S3 backend (one server-side copy commits a blob).";
        }
    }
}
