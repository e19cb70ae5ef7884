using Amazon.S3.Model;
using SecureDialogue.Messaging.Blobs;

namespace SecureDialogue.Messaging.Tests.Blobs;

/// <summary>The storage contract on a real S3 server: Ceph RGW started by scripts/s3.sh.</summary>
[Collection(nameof(CephRgwFixture))]
public sealed class S3BlobStoreTests(CephRgwFixture ceph) : BlobStoreContractTests
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}/";

    private protected override IBlobStore CreateStore(long maxBlobSize = BlobStorageOptions.DefaultMaxBlobSize) =>
        new S3BlobStore(
            ceph.Client,
            new BlobStorageOptions { Backend = "S3", PartSize = PartSize, MaxBlobSize = maxBlobSize, S3 = ceph.Options with { Prefix = _prefix } },
            Time);

    [Fact]
    public async Task CreateBucket_ObjectLockEnabled_BucketReportsObjectLock()
    {
        // Arrange
        var options = ceph.Options with { Bucket = "sdlg-lock-" + Guid.NewGuid().ToString("N")[..12], ObjectLockEnabled = true };
        var store = new S3BlobStore(ceph.Client, new BlobStorageOptions { Backend = "S3", PartSize = PartSize, S3 = options }, Time);

        // Act: the first operation creates the bucket.
        var id = await CommitAsync(store, Blob(1000));
        var configuration = await ceph.Client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = options.Bucket });

        // Assert
        Assert.Equal("Enabled", configuration.ObjectLockConfiguration.ObjectLockEnabled?.Value);
        Assert.True((await store.GetInfoAsync(id)).IsSuccess);
    }

    [Fact]
    public async Task Layout_CommittedBlobUnderPrefixAndNoStagingLeft()
    {
        var store = CreateStore();
        var id = await CommitAsync(store, Blob(5000, seed: 12));

        var listing = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = ceph.Options.Bucket, Prefix = _prefix });
        var uploads = await ceph.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = ceph.Options.Bucket, Prefix = _prefix });

        Assert.Equal([$"{_prefix}blobs/{id.Value}"], listing.S3Objects.Select(o => o.Key));
        Assert.Empty(uploads.MultipartUploads ?? []);
    }
}
