using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;

namespace SecureDialogue.Messaging.Tests.Archive.Sealing;

/// <summary>
/// Sealing through the real server on both engines: the secretariat seals a review with a dialogue and an attachment
/// (its ciphertext found from the archived digest), members list and download the bundle, which verifies against the
/// served log keys; a member may not seal, an unknown mode or name is refused; receipts are append-only.
/// </summary>
public abstract class SealingApiTests : IAsyncLifetime
{
    private const long BlobLength = 3000;
    private MessagingHost _host = null!;
    private ReviewScenario _review = null!;

    protected abstract Task<MessagingHost> StartAsync();

    /// <summary>The sealed store the server is configured with.</summary>
    protected virtual string Backend => "Local";

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        _review = await ReviewScenario.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _review.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Seal_DialogueWithAttachment_MembersDownloadABundleThatVerifiesWithTheAttachmentCiphertext()
    {
        // Arrange: two envelopes and one committed blob in 'dialogue'.
        var sent = new List<byte[]>();
        for (ulong i = 1; i <= 2; i++)
        {
            var envelope = ReviewScenario.Seal(_review.Alice, _review.DialogueKey!, i);
            sent.Add(envelope.Encoded.ToArray());
            using var posted = await _review.PostEnvelopeAsync(_review.Alice, envelope);
            posted.EnsureSuccessStatusCode();
        }

        var blob = Enumerable.Range(0, (int)BlobLength).Select(i => (byte)(i * 7)).ToArray();
        await UploadAsync(blob);

        // Act
        using var refused = await _review.Alice.Http.PostAsJsonAsync(Route(HttpRoutes.ArchiveSeal), new SealArchive());
        using var badMode = await _review.Secretariat.Http.PostAsJsonAsync(Route(HttpRoutes.ArchiveSeal), new SealArchive("plaintexts"));
        using var sealedResponse = await _review.Secretariat.Http.PostAsJsonAsync(Route(HttpRoutes.ArchiveSeal), new SealArchive());
        var receipt = (await sealedResponse.Content.ReadFromJsonAsync<SealedBundleInfo>())!;
        var list = await _review.Bob.Http.GetFromJsonAsync<SealedBundleList>(Route(HttpRoutes.ArchiveBundles));
        var bytes = await _review.Alice.Http.GetByteArrayAsync(Route(HttpRoutes.ArchiveBundles) + "/" + receipt.Name);
        using var unknown = await _review.Alice.Http.GetAsync(Route(HttpRoutes.ArchiveBundles) + "/19700101T000000000Z-1.sdlb");
        var keys = await _review.Alice.Http.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(bytes), new BundleVerifierOptions
        {
            TrustedLogKeys = [.. keys!.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!)],
        });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sealedResponse.StatusCode);
        Assert.Equal("ciphertexts", receipt.Attachments);
        Assert.Equal(Backend, receipt.Backend);
        Assert.Equal(Backend == "S3", receipt.VersionId is not null && receipt.RetainUntil > DateTimeOffset.UtcNow.AddYears(1));
        var listed = Assert.Single(list!.Bundles);
        Assert.Equal((receipt.Name, receipt.Sha256, receipt.TreeSize), (listed.Name, listed.Sha256, listed.TreeSize));
        Assert.Equal(receipt.Size, bytes.Length);
        Assert.Equal(receipt.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(receipt.TreeSize, verification.Summary!.TreeSize);
        Assert.Equal(receipt.Root, verification.Summary.Root);
        Assert.Equal(1, verification.Summary.AttachmentCiphertexts);
        Assert.Equal(2, verification.Summary.EntriesByKind[ArchiveEntryKind.Envelope]);
        Assert.Equal(receipt.SealDigest, verification.Summary.SealDigest);

        // The review's log records summaries: the bundle carries each envelope beside its entry (docs/protocol.md 17.1),
        // checked against the summary; one changed byte of the second envelope's ciphertext fails, naming its entry.
        Assert.Equal(2, verification.Summary.EnvelopesBeside);
        var page = await _review.PageAsync(_review.Alice, "dialogue");
        var second = bytes.AsSpan().IndexOf(sent[1]);
        Assert.True(second > 0);
        var tampered = (byte[])bytes.Clone();
        tampered[second + sent[1].Length - 100] ^= 1;
        var failed = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.Equal(BundleFailureReason.EnvelopeMismatch, failed.Failure?.Reason);
        Assert.Equal(page.Items.Single(i => i.Sequence == 2).ArchiveIndex, failed.Failure!.EntryIndex);
    }

    [Fact]
    public async Task Seal_BlobsFoundByTheSha256RecordedAtCommit_AndRowsWithoutOneByHashing()
    {
        // Arrange: two blobs of one length; each row records its ciphertext's SHA-256 at commit. The second is made a row
        // from before migration 0007 (no SHA-256), which sealing must still find by hashing the candidates.
        var first = Enumerable.Range(0, (int)BlobLength).Select(i => (byte)(i * 7)).ToArray();
        var second = Enumerable.Range(0, (int)BlobLength).Select(i => (byte)(i * 11 + 1)).ToArray();
        await UploadAsync(first);
        await UploadAsync(second);
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
        var rows = await db.Blobs.AsNoTracking().Where(b => b.ReviewId == _review.ReviewId).ToListAsync();
        var secondId = Convert.ToHexStringLower(Vault.Attachments.AttachmentCiphertextHash.Compute(second));
        await db.Database.ExecuteSqlRawAsync("UPDATE blobs SET sha256 = NULL WHERE blob_id = {0}", secondId);

        // Act
        using var sealedResponse = await _review.Secretariat.Http.PostAsJsonAsync(Route(HttpRoutes.ArchiveSeal), new SealArchive());
        var receipt = (await sealedResponse.Content.ReadFromJsonAsync<SealedBundleInfo>())!;
        var bytes = await _review.Alice.Http.GetByteArrayAsync(Route(HttpRoutes.ArchiveBundles) + "/" + receipt.Name);
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(bytes), new BundleVerifierOptions());

        // Assert: the rows held the SHA-256 of their ciphertexts; both ciphertexts are in the bundle.
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(
            System.Security.Cryptography.SHA256.HashData(r.BlobId == secondId ? second : first), r.Sha256));
        Assert.Equal(HttpStatusCode.Created, sealedResponse.StatusCode);
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(2, verification.Summary!.AttachmentCiphertexts);
    }

    [Fact]
    public async Task Receipts_AreAppendOnly()
    {
        // Arrange
        using var sealedResponse = await _review.Secretariat.Http.PostAsJsonAsync(Route(HttpRoutes.ArchiveSeal), new SealArchive("digests"));
        sealedResponse.EnsureSuccessStatusCode();
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();

        // Act
        var update = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync("UPDATE sealed_bundles SET size = 1"));
        var delete = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync("DELETE FROM sealed_bundles"));

        // Assert
        Assert.NotNull(update);
        Assert.NotNull(delete);
        Assert.Equal(1, await db.SealedBundles.CountAsync(b => b.ReviewId == _review.ReviewId));
    }

    private string Route(string template) => HttpRoutes.ArchiveOf(template, _review.ReviewId);

    private async Task UploadAsync(byte[] blob)
    {
        const string channel = "dialogue";
        using var begun = await _review.Alice.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(_review.ReviewId, channel), new BeginUpload(blob.Length));
        begun.EnsureSuccessStatusCode();
        var status = (await begun.Content.ReadFromJsonAsync<UploadStatus>())!;
        using var part = await _review.Alice.Http.PutAsync(HttpRoutes.UploadPartOf(_review.ReviewId, channel, status.UploadId, 1), new ByteArrayContent(blob));
        part.EnsureSuccessStatusCode();
        using var completed = await _review.Alice.Http.PostAsJsonAsync(
            HttpRoutes.UploadCompletionOf(_review.ReviewId, channel, status.UploadId), new CompleteUpload(Vault.Attachments.AttachmentCiphertextHash.Compute(blob)));
        completed.EnsureSuccessStatusCode();
    }
}

public sealed class SealingApiSqliteTests : SealingApiTests
{
    protected override Task<MessagingHost> StartAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class SealingApiPostgresTests(PostgresFixture postgres) : SealingApiTests
{
    protected override Task<MessagingHost> StartAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}

/// <summary>The production set-up: sealed bundles in a Ceph RGW bucket the server creates with Object Lock (COMPLIANCE, 2 years).</summary>
[Collection(nameof(Blobs.CephRgwFixture))]
public sealed class SealingApiS3Tests(Blobs.CephRgwFixture ceph) : SealingApiTests
{
    private static readonly string s_bucket = "sdlg-sealed-api-" + Guid.NewGuid().ToString("N")[..12];

    protected override string Backend => "S3";

    protected override Task<MessagingHost> StartAsync() => MessagingHost.StartAsync(Engine.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Archive:Sealing:Backend"] = "S3",
        ["Archive:Sealing:RetentionYears"] = "2",
        ["Archive:Sealing:S3:ServiceUrl"] = ceph.Options.ServiceUrl,
        ["Archive:Sealing:S3:AccessKey"] = ceph.Options.AccessKey,
        ["Archive:Sealing:S3:SecretKey"] = ceph.Options.SecretKey,
        ["Archive:Sealing:S3:Bucket"] = s_bucket,
        ["Archive:Sealing:S3:CreateBucket"] = "true",
        ["Archive:Sealing:S3:Prefix"] = $"t{Guid.NewGuid():N}/",
    });
}
