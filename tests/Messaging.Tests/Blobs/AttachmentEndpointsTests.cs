using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Blobs;

/// <summary>
/// The attachment HTTP API (uploads in parts, resume, hash check, ranged downloads, limits, who may see what) on a real
/// server, once over the local folder and once over Ceph RGW: the same assertions on both storages.
/// </summary>
public abstract class AttachmentEndpointsTests : IAsyncLifetime
{
    protected const int PartSize = 5 * 1024 * 1024;
    protected const long MaxBlobSize = 40L * 1024 * 1024;
    private static readonly System.Text.Json.JsonSerializerOptions s_json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private MessagingHost _host = null!;
    private ReviewScenario _review = null!;

    protected abstract IReadOnlyDictionary<string, string?> StorageSettings { get; }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(StorageSettings, StringComparer.Ordinal)
        {
            ["Blobs:PartSize"] = PartSize.ToString(CultureInfo.InvariantCulture),
            ["Blobs:MaxBlobSize"] = MaxBlobSize.ToString(CultureInfo.InvariantCulture),
        };
        _host = await MessagingHost.StartAsync(Engine.Sqlite, settings: settings);
        _review = await ReviewScenario.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _review.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task UploadPartsOutOfOrder_ThenDownloadWholeAndFromOffset_SameBytesThatDecrypt()
    {
        // Arrange: an encrypted 12 MiB file: three parts, the last one short.
        var plaintext = RandomNumberGenerator.GetBytes(12 * 1024 * 1024);
        var (manifest, ciphertext) = await EncryptAsync(plaintext, "Questionnaire response.pdf");
        using var _ = manifest;
        var upload = await BeginAsync(ciphertext.Length);

        // Act
        foreach (var number in new[] { 3, 1 })
        {
            using var part = await PutPartAsync(upload, number, ciphertext);
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
        }

        var halfway = await _review.Alice.Http.GetFromJsonAsync<UploadStatus>(Route(upload.UploadId));
        using (var last = await PutPartAsync(upload, 2, ciphertext))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        var blob = await CompleteAsync(upload, manifest.CiphertextHash.ToArray());
        var whole = await _review.Olga.Http.GetByteArrayAsync(HttpRoutes.BlobOf(_review.ReviewId, "dialogue", manifest.BlobId));
        using var request = new HttpRequestMessage(HttpMethod.Get, HttpRoutes.BlobOf(_review.ReviewId, "dialogue", manifest.BlobId));
        request.Headers.Range = new RangeHeaderValue(7_000_001, null);
        using var ranged = await _review.Bob.Http.SendAsync(request);
        var suffix = await ranged.Content.ReadAsByteArrayAsync();

        // Assert
        Assert.Equal(3, upload.PartCount);
        Assert.Equal([1, 3], halfway!.AcknowledgedParts);
        Assert.Equal(manifest.BlobId, blob.BlobId);
        Assert.Equal(ciphertext.Length, blob.Length);
        Assert.Equal(ciphertext, whole);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(7_000_001, ranged.Content.Headers.ContentRange?.From);
        Assert.Equal(ciphertext.Length, ranged.Content.Headers.ContentRange?.Length);
        Assert.Equal(ciphertext.AsSpan(7_000_001).ToArray(), suffix);
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "out.pdf");
        Assert.Equal(AttachmentError.None, await AttachmentDecryptor.DecryptToFileAsync(manifest, new MemoryStream(whole), path));
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Begin_AboveTheSizeLimit_413TooLargeNamingTheLimit()
    {
        // Act
        using var response = await _review.Alice.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(_review.ReviewId, "dialogue"), new BeginUpload(MaxBlobSize + 1));

        // Assert
        var problem = await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.TooLarge);
        Assert.Contains(MaxBlobSize.ToString(CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_WrongHash_422NothingCommittedAndUploadGone()
    {
        // Arrange
        var blob = RandomNumberGenerator.GetBytes(1000);
        var upload = await BeginAsync(blob.Length);
        using (var part = await PutPartAsync(upload, 1, blob))
        {
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
        }

        var claimed = AttachmentCiphertextHash.Compute(RandomNumberGenerator.GetBytes(1000));

        // Act
        using var response = await _review.Alice.Http.PostAsJsonAsync(HttpRoutes.UploadCompletionOf(_review.ReviewId, "dialogue", upload.UploadId), new CompleteUpload(claimed));
        using var status = await _review.Alice.Http.GetAsync(Route(upload.UploadId));
        using var either = await _review.Alice.Http.GetAsync(HttpRoutes.BlobOf(_review.ReviewId, "dialogue", Convert.ToHexStringLower(claimed)));
        using var actual = await _review.Alice.Http.GetAsync(HttpRoutes.BlobOf(_review.ReviewId, "dialogue", Convert.ToHexStringLower(AttachmentCiphertextHash.Compute(blob))));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.HashMismatch);
        await Problems.AssertAsync(status, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(either, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertAsync(actual, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Complete_PartMissing_409IncompleteAndStillResumable()
    {
        // Arrange
        var blob = RandomNumberGenerator.GetBytes(PartSize + 10);
        var upload = await BeginAsync(blob.Length);
        using (var part = await PutPartAsync(upload, 2, blob))
        {
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
        }

        // Act
        using var early = await _review.Alice.Http.PostAsJsonAsync(
            HttpRoutes.UploadCompletionOf(_review.ReviewId, "dialogue", upload.UploadId), new CompleteUpload(AttachmentCiphertextHash.Compute(blob)));
        using (var part = await PutPartAsync(upload, 1, blob))
        {
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
        }

        var completed = await CompleteAsync(upload, AttachmentCiphertextHash.Compute(blob));
        var again = await CompleteAsync(upload, AttachmentCiphertextHash.Compute(blob));

        // Assert
        await Problems.AssertAsync(early, HttpStatusCode.Conflict, ProblemTypes.IncompleteUpload);
        Assert.Equal(completed, again);
    }

    [Fact]
    public async Task PutPart_WrongLength_400AndNotAcknowledged()
    {
        // Arrange
        var blob = RandomNumberGenerator.GetBytes(3000);
        var upload = await BeginAsync(blob.Length);

        // Act
        using var shorter = await _review.Alice.Http.PutAsync(
            HttpRoutes.UploadPartOf(_review.ReviewId, "dialogue", upload.UploadId, 1), new ByteArrayContent(blob, 0, 2999));
        using var beyond = await _review.Alice.Http.PutAsync(
            HttpRoutes.UploadPartOf(_review.ReviewId, "dialogue", upload.UploadId, 2), new ByteArrayContent(blob));
        var status = await _review.Alice.Http.GetFromJsonAsync<UploadStatus>(Route(upload.UploadId));

        // Assert
        await Problems.AssertAsync(shorter, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        await Problems.AssertAsync(beyond, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        Assert.Empty(status!.AcknowledgedParts);
    }

    [Fact]
    public async Task AnotherMembersUpload_NotFoundForEveryOperation()
    {
        // Arrange: Bob's upload; Alice may post in the channel too, but the upload is not hers.
        var blob = RandomNumberGenerator.GetBytes(1000);
        using var begun = await _review.Bob.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(_review.ReviewId, "dialogue"), new BeginUpload(blob.Length));
        var upload = (await begun.Content.ReadFromJsonAsync<UploadStatus>())!;
        var alice = _review.Alice.Http;

        // Act
        using var status = await alice.GetAsync(Route(upload.UploadId));
        using var part = await alice.PutAsync(HttpRoutes.UploadPartOf(_review.ReviewId, "dialogue", upload.UploadId, 1), new ByteArrayContent(blob));
        using var complete = await alice.PostAsJsonAsync(HttpRoutes.UploadCompletionOf(_review.ReviewId, "dialogue", upload.UploadId), new CompleteUpload(AttachmentCiphertextHash.Compute(blob)));
        using var abort = await alice.DeleteAsync(Route(upload.UploadId));
        var bobsView = await _review.Bob.Http.GetFromJsonAsync<UploadStatus>(Route(upload.UploadId));

        // Assert
        foreach (var response in new[] { status, part, complete, abort })
        {
            await Problems.AssertAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }

        Assert.Empty(bobsView!.AcknowledgedParts);
    }

    [Fact]
    public async Task BlobOfTheReviewersChannel_RequestedThroughDialogue_NotFound()
    {
        // Arrange: Bob uploads into 'reviewers'; Carol reads both channels.
        var blob = RandomNumberGenerator.GetBytes(1000);
        using var begun = await _review.Bob.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(_review.ReviewId, "reviewers"), new BeginUpload(blob.Length));
        var upload = (await begun.Content.ReadFromJsonAsync<UploadStatus>())!;
        using (await _review.Bob.Http.PutAsync(HttpRoutes.UploadPartOf(_review.ReviewId, "reviewers", upload.UploadId, 1), new ByteArrayContent(blob)))
        {
        }

        using var completed = await _review.Bob.Http.PostAsJsonAsync(
            HttpRoutes.UploadCompletionOf(_review.ReviewId, "reviewers", upload.UploadId), new CompleteUpload(AttachmentCiphertextHash.Compute(blob)));
        var id = (await completed.Content.ReadFromJsonAsync<BlobEntry>())!.BlobId;

        // Act
        using var viaDialogue = await _review.Carol.Http.GetAsync(HttpRoutes.BlobOf(_review.ReviewId, "dialogue", id));
        var viaReviewers = await _review.Carol.Http.GetByteArrayAsync(HttpRoutes.BlobOf(_review.ReviewId, "reviewers", id));

        // Assert
        await Problems.AssertAsync(viaDialogue, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(blob, viaReviewers);
    }

    [Fact]
    public async Task Download_RangeAtOrPastTheEnd_416InvalidRange_AbortedUploadGone()
    {
        // Arrange
        var blob = RandomNumberGenerator.GetBytes(1000);
        var upload = await BeginAsync(blob.Length);
        using (await PutPartAsync(upload, 1, blob))
        {
        }

        var entry = await CompleteAsync(upload, AttachmentCiphertextHash.Compute(blob));
        var other = await BeginAsync(500);

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, HttpRoutes.BlobOf(_review.ReviewId, "dialogue", entry.BlobId));
        request.Headers.Range = new RangeHeaderValue(1000, null);
        using var pastEnd = await _review.Alice.Http.SendAsync(request);
        using var aborted = await _review.Alice.Http.DeleteAsync(Route(other.UploadId));
        using var afterAbort = await _review.Alice.Http.GetAsync(Route(other.UploadId));

        // Assert
        await Problems.AssertAsync(pastEnd, HttpStatusCode.RequestedRangeNotSatisfiable, ProblemTypes.InvalidRange);
        Assert.Equal(HttpStatusCode.NoContent, aborted.StatusCode);
        await Problems.AssertAsync(afterAbort, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task MetadataAudit_AfterAnAttachment_NoFileNameMediaTypeOrExactSizeStoredOrLogged()
    {
        // Arrange: a distinctive name, type and size, sent as the real client does (blob + document item).
        var marker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var fileName = $"Rapport confidentiel {marker}.pdf";
        var mediaType = $"application/x-sdlg-{marker}";
        const int size = 1_234_567;
        var (manifest, ciphertext) = await EncryptAsync(RandomNumberGenerator.GetBytes(size), fileName, mediaType);
        using var _ = manifest;
        var upload = await BeginAsync(ciphertext.Length);
        for (var n = 1; n <= upload.PartCount; n++)
        {
            using var part = await PutPartAsync(upload, n, ciphertext);
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
        }

        await CompleteAsync(upload, manifest.CiphertextHash.ToArray());
        var envelope = EnvelopeSealer.Seal(_review.Alice.Device, _review.DialogueKey!, 1,
            new EnvelopeDraft { Review = _review.ReviewId, Channel = _review.DialogueKey!.Channel, Kind = ItemKind.Document, Language = LanguageTag.English, Segments = [manifest.ToSegment()] },
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        using (var posted = await _review.PostEnvelopeAsync(_review.Alice, envelope))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var sizeBigEndian = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(sizeBigEndian, size);
        var sizeLittleEndian = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(sizeLittleEndian, size);

        // Act
        var audit = await MetadataAudit.TakeAsync(_host);

        // Assert: the audit does find what the server holds (the blob id, the padded length); never the file's metadata.
        Assert.NotEmpty(audit.Find(manifest.BlobId));
        Assert.Empty(audit.Find(marker));
        Assert.Empty(audit.Find(size.ToString(CultureInfo.InvariantCulture)));
        Assert.Empty(audit.FindBytes(sizeBigEndian));
        Assert.Empty(audit.FindBytes(sizeLittleEndian));
        Assert.NotEqual(size, manifest.PaddedLength);
    }

    protected static async Task<(AttachmentManifest Manifest, byte[] Ciphertext)> EncryptAsync(byte[] plaintext, string fileName, string mediaType = "application/pdf")
    {
        using var output = new MemoryStream();
        var result = await AttachmentEncryptor.EncryptAsync(new MemoryStream(plaintext), output, new AttachmentDescription(fileName, mediaType));
        Assert.True(result.IsSuccess, result.ToString());
        return (result.Value!, output.ToArray());
    }

    private string Route(string uploadId) => HttpRoutes.UploadOf(_review.ReviewId, "dialogue", uploadId);

    private async Task<UploadStatus> BeginAsync(long length)
    {
        using var response = await _review.Alice.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(_review.ReviewId, "dialogue"), new BeginUpload(length));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadStatus>())!;
    }

    private Task<HttpResponseMessage> PutPartAsync(UploadStatus upload, int number, byte[] blob)
    {
        var offset = (number - 1) * upload.PartSize;
        var length = (int)Math.Min(upload.PartSize, upload.Length - offset);
        return _review.Alice.Http.PutAsync(
            HttpRoutes.UploadPartOf(_review.ReviewId, "dialogue", upload.UploadId, number), new ByteArrayContent(blob, offset, length));
    }

    private async Task<BlobEntry> CompleteAsync(UploadStatus upload, byte[] hash)
    {
        using var response = await _review.Alice.Http.PostAsJsonAsync(HttpRoutes.UploadCompletionOf(_review.ReviewId, "dialogue", upload.UploadId), new CompleteUpload(hash));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return System.Text.Json.JsonSerializer.Deserialize<BlobEntry>(body, s_json)!;
    }
}

/// <summary>The attachment API over the embedded default: a folder under the data directory.</summary>
public sealed class AttachmentEndpointsLocalTests : AttachmentEndpointsTests
{
    protected override IReadOnlyDictionary<string, string?> StorageSettings { get; } = new Dictionary<string, string?>();
}

/// <summary>The attachment API over Ceph RGW (scripts/s3.sh).</summary>
[Collection(nameof(CephRgwFixture))]
public sealed class AttachmentEndpointsS3Tests(CephRgwFixture ceph) : AttachmentEndpointsTests
{
    protected override IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>
    {
        ["Blobs:Backend"] = "S3",
        ["Blobs:S3:ServiceUrl"] = ceph.Options.ServiceUrl,
        ["Blobs:S3:AccessKey"] = ceph.Options.AccessKey,
        ["Blobs:S3:SecretKey"] = ceph.Options.SecretKey,
        ["Blobs:S3:Region"] = ceph.Options.Region,
        ["Blobs:S3:Bucket"] = ceph.Options.Bucket,
        ["Blobs:S3:Prefix"] = $"e{Guid.NewGuid():N}/",
        ["Blobs:S3:CreateBucket"] = "true",
    };
}
