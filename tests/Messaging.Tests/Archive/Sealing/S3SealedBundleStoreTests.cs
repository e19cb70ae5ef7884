using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using SecureDialogue.Messaging.Archive.Sealing;
using SecureDialogue.Messaging.Tests.Blobs;

namespace SecureDialogue.Messaging.Tests.Archive.Sealing;

/// <summary>The Object Lock store on the real Ceph RGW of scripts/s3.sh: retention, refused deletes, versions.</summary>
[Collection(nameof(CephRgwFixture))]
public sealed class S3SealedBundleStoreTests(CephRgwFixture ceph)
{
    // One locked bucket per test class run: objects under COMPLIANCE retention cannot be removed, so neither can it.
    private static readonly string s_bucket = "sdlg-sealed-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _prefix = $"t{Guid.NewGuid():N}/";

    internal S3SealedBundleStore CreateStore(int years = 3) => new(ceph.Client, Options(years), TimeProvider.System);

    internal SealedStorageOptions Options(int years = 3) => new()
    {
        Backend = "S3",
        RetentionYears = years,
        S3 = new S3SealedStoreOptions { Bucket = s_bucket, CreateBucket = true, Prefix = _prefix },
    };

    [Fact]
    public async Task Put_ReadBack_ComplianceRetentionAsConfigured()
    {
        var store = CreateStore(years: 3);
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var before = DateTimeOffset.UtcNow;

        var sealedObject = await store.PutAsync("reviews/r/a.sdlb", new MemoryStream(bytes));

        Assert.False(string.IsNullOrEmpty(sealedObject.VersionId));
        Assert.Equal(_prefix + "reviews/r/a.sdlb", sealedObject.Key);
        Assert.Equal(SHA256.HashData(bytes), sealedObject.Sha256);
        await using (var read = await store.OpenReadAsync(sealedObject))
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        var retention = await ceph.Client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = s_bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId });
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);
        var until = new DateTimeOffset(DateTime.SpecifyKind(retention.Retention.RetainUntilDate!.Value, DateTimeKind.Utc));
        Assert.InRange(until, before.AddYears(3).AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(3).AddMinutes(1));
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(sealedObject));
    }

    [Fact]
    public async Task DeleteObjectVersion_RefusedByCephWithAccessDenied()
    {
        var store = CreateStore();
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var sealedObject = await store.PutAsync("del.sdlb", new MemoryStream(bytes));

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            ceph.Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = s_bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId }));
        var bypass = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            ceph.Client.DeleteObjectAsync(new DeleteObjectRequest
            {
                BucketName = s_bucket, Key = sealedObject.Key, VersionId = sealedObject.VersionId, BypassGovernanceRetention = true,
            }));

        Assert.Equal("AccessDenied", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal("AccessDenied", bypass.ErrorCode);
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(sealedObject));
    }

    [Fact]
    public async Task Overwrite_CreatesNewVersion_LockedVersionUntouched()
    {
        var store = CreateStore();
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var sealedObject = await store.PutAsync("over.sdlb", new MemoryStream(bytes));

        var overwrite = await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = s_bucket, Key = sealedObject.Key, ContentBody = "replaced" });
        var plainDelete = await ceph.Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = s_bucket, Key = sealedObject.Key });

        Assert.NotEqual(sealedObject.VersionId, overwrite.VersionId);
        Assert.Equal("true", plainDelete.DeleteMarker); // a delete marker on top, nothing removed
        var versions = await ceph.Client.ListVersionsAsync(new ListVersionsRequest { BucketName = s_bucket, Prefix = sealedObject.Key });
        Assert.Contains(versions.Versions, v => v.VersionId == sealedObject.VersionId);
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(sealedObject));
        await using var read = await store.OpenReadAsync(sealedObject);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Put_BucketWithoutObjectLock_RefusedWithClearMessage()
    {
        var bucket = "sdlg-nolock-" + Guid.NewGuid().ToString("N")[..12];
        await ceph.Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var options = Options() with { S3 = new S3SealedStoreOptions { Bucket = bucket, CreateBucket = false } };
        var store = new S3SealedBundleStore(ceph.Client, options, TimeProvider.System);

        var e = await Assert.ThrowsAsync<SealedStoreException>(() => store.PutAsync("x.sdlb", new MemoryStream([1, 2, 3])));

        Assert.Contains("Object Lock", e.Message, StringComparison.Ordinal);
        var listing = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listing.S3Objects ?? []);
        await ceph.Client.DeleteBucketAsync(bucket);
    }
}
