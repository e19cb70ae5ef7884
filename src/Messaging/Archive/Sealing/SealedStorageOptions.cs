namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>Where sealed archive bundles are kept and for how long (configuration section <c>Archive:Sealing</c>).</summary>
internal sealed record SealedStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Archive:Sealing";

    /// <summary>The longest retention accepted, in years.</summary>
    public const int MaxRetentionYears = 100;

    /// <summary><c>Local</c> (default: a read-only folder under the data directory) or <c>S3</c> (Object Lock, COMPLIANCE).</summary>
    public string Backend { get; set; } = "Local";

    /// <summary>
    /// Years a sealed bundle is retained: the S3 Object Lock COMPLIANCE retain-until date is the sealing time plus this.
    /// Nobody, not even the bucket's owner, can delete or shorten it before then. <value>Default 20 (the mechanism's 12 to
    /// 18 years and a margin).</value>
    /// </summary>
    public int RetentionYears { get; set; } = 20;

    /// <summary>The folder of the local store. <value>Default <c>{Data:Directory}/sealed</c>.</value></summary>
    public string? LocalDirectory { get; set; }

    /// <summary>Where a bundle is written and checked before it is stored. <value>Default: the system temporary directory.</value></summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>The S3 backend's settings.</summary>
    public S3SealedStoreOptions S3 { get; set; } = new();

    internal IEnumerable<string> Validate()
    {
        if (Backend is not ("Local" or "S3"))
        {
            yield return $"Archive:Sealing:Backend must be Local or S3, not '{Backend}'.";
        }

        if (RetentionYears is < 1 or > MaxRetentionYears)
        {
            yield return $"Archive:Sealing:RetentionYears must be between 1 and {MaxRetentionYears}, not {RetentionYears}.";
        }

        if (Backend == "S3")
        {
            foreach (var problem in S3.Validate())
            {
                yield return problem;
            }
        }
    }
}

/// <summary>
/// The S3 bucket of sealed bundles (section <c>Archive:Sealing:S3</c>). The bucket must have Object Lock, which S3 only
/// enables when a bucket is created (and which enables versioning): with <see cref="CreateBucket"/> the server creates
/// it so; otherwise the server checks it at the first seal and refuses a bucket without it.
/// </summary>
internal sealed record S3SealedStoreOptions
{
    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:7480</c>; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The signing region. <value>Default <c>us-east-1</c>.</value></summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The bucket. <value>Default <c>sdlg-sealed</c>.</value></summary>
    public string Bucket { get; set; } = "sdlg-sealed";

    /// <summary>Access key id; when empty, the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key (never logged).</summary>
    public string? SecretKey { get; set; }

    /// <summary>A key prefix for every object. <value>Default empty.</value></summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Path-style addressing, needed by Ceph and MinIO. <value>Default true.</value></summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Create the bucket, with Object Lock, when it does not exist. <value>Default false.</value></summary>
    public bool CreateBucket { get; set; }

    internal Blobs.S3BlobStoreOptions ToClientOptions() => new()
    {
        ServiceUrl = ServiceUrl,
        Region = Region,
        Bucket = Bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        ForcePathStyle = ForcePathStyle,
    };

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket) || Bucket.Length is < 3 or > 63 || !Bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
        {
            yield return $"Archive:Sealing:S3:Bucket must be a bucket name of 3 to 63 lower-case letters, digits, '-' or '.', not '{Bucket}'.";
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return "Archive:Sealing:S3:AccessKey and Archive:Sealing:S3:SecretKey go together.";
        }

        if (!string.IsNullOrEmpty(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            yield return $"Archive:Sealing:S3:ServiceUrl must be an absolute URL, not '{ServiceUrl}'.";
        }
    }
}
