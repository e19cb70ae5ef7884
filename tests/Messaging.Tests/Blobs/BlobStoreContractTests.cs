using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Messaging.Blobs;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Messaging.Tests.Blobs;

/// <summary>
/// The storage contract, run unchanged on every backend (<see cref="LocalBlobStoreTests"/>,
/// <see cref="S3BlobStoreTests"/>): resumable parts, hash-checked commit, ranged reads, limits, cleanup.
/// </summary>
public abstract class BlobStoreContractTests
{
    protected const int PartSize = BlobStorageOptions.MinimumPartSize;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A store over the same underlying storage each time it is called (a restarted server).</summary>
    private protected abstract IBlobStore CreateStore(long maxBlobSize = BlobStorageOptions.DefaultMaxBlobSize);

    private protected static byte[] Blob(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task UploadPartsThenComplete_ThreeParts_CommittedUnderCiphertextHashAndReadBack()
    {
        // Arrange
        var store = CreateStore();
        var blob = Blob((2 * PartSize) + 1234);
        var upload = (await store.BeginUploadAsync(blob.Length)).Value!;

        // Act
        for (var n = upload.PartCount; n >= 1; n--)
        {
            var part = await store.UploadPartAsync(upload.Id, n, Slice(blob, upload, n));
            Assert.Equal(upload.PartLength(n), part.Value!.Length);
        }

        var parts = (await store.ListPartsAsync(upload.Id)).Value!;
        var committed = await store.CompleteUploadAsync(upload.Id, AttachmentCiphertextHash.Compute(blob));

        // Assert
        Assert.Equal(3, upload.PartCount);
        Assert.Equal([1, 2, 3], parts.Select(p => p.Number));
        Assert.True(committed.IsSuccess, committed.ToString());
        Assert.Equal(BlobId.FromHash(AttachmentCiphertextHash.Compute(blob)), committed.Value.Id);
        Assert.Equal(blob.Length, (await store.GetInfoAsync(committed.Value.Id)).Value!.Length);
        Assert.Equal(blob, await ReadAllAsync(store, committed.Value.Id));
        Assert.Equal(Vault.Result<BlobUpload, BlobError>.Fail(BlobError.NotFound).Error, (await store.GetUploadAsync(upload.Id)).Error);
    }

    [Fact]
    public async Task UploadPart_ConnectionBreaksMidPart_ResumesFromLastAcknowledgedPartAfterRestart()
    {
        // Arrange
        var blob = Blob((2 * PartSize) + 77, seed: 2);
        var first = CreateStore();
        var upload = (await first.BeginUploadAsync(blob.Length)).Value!;
        Assert.True((await first.UploadPartAsync(upload.Id, 1, Slice(blob, upload, 1))).IsSuccess);

        // Act: part 2 breaks after 1 MiB, then the server restarts and the client asks what it has.
        await Assert.ThrowsAnyAsync<IOException>(() => first.UploadPartAsync(upload.Id, 2, new BreakingStream(blob.AsMemory((int)upload.PartOffset(2), upload.PartLength(2)), 1 << 20)));
        var second = CreateStore();
        var resumed = (await second.GetUploadAsync(upload.Id)).Value!;
        var acknowledged = (await second.ListPartsAsync(upload.Id)).Value!;
        for (var n = acknowledged.Max(p => p.Number) + 1; n <= resumed.PartCount; n++)
        {
            Assert.True((await second.UploadPartAsync(upload.Id, n, Slice(blob, resumed, n))).IsSuccess);
        }

        var committed = await second.CompleteUploadAsync(upload.Id, AttachmentCiphertextHash.Compute(blob));

        // Assert
        Assert.Equal(upload, resumed);
        Assert.Equal([1], acknowledged.Select(p => p.Number));
        Assert.True(committed.IsSuccess, committed.ToString());
        Assert.Equal(blob, await ReadAllAsync(second, committed.Value.Id));
    }

    [Fact]
    public async Task UploadPart_RepeatedOrReplaced_IdempotentAndLastCopyWins()
    {
        var store = CreateStore();
        var blob = Blob(PartSize + 10, seed: 3);
        var upload = (await store.BeginUploadAsync(blob.Length)).Value!;

        await store.UploadPartAsync(upload.Id, 1, Slice(blob, upload, 1));
        await store.UploadPartAsync(upload.Id, 1, Slice(blob, upload, 1));
        await store.UploadPartAsync(upload.Id, 2, new MemoryStream(new byte[10]));
        await store.UploadPartAsync(upload.Id, 2, Slice(blob, upload, 2));
        var parts = (await store.ListPartsAsync(upload.Id)).Value!;
        var committed = await store.CompleteUploadAsync(upload.Id, AttachmentCiphertextHash.Compute(blob));

        Assert.Equal([1, 2], parts.Select(p => p.Number));
        Assert.True(committed.IsSuccess, committed.ToString());
        Assert.Equal(blob, await ReadAllAsync(store, committed.Value.Id));
    }

    [Fact]
    public async Task UploadPart_ShortLongOrOutOfRange_RefusedAndNotAcknowledged()
    {
        var store = CreateStore();
        var upload = (await store.BeginUploadAsync(PartSize + 10)).Value!;

        Assert.Equal(BlobError.PartLengthMismatch, (await store.UploadPartAsync(upload.Id, 2, new MemoryStream(new byte[9]))).Error);
        Assert.Equal(BlobError.PartLengthMismatch, (await store.UploadPartAsync(upload.Id, 2, new MemoryStream(new byte[11]))).Error);
        Assert.Equal(BlobError.InvalidPartNumber, (await store.UploadPartAsync(upload.Id, 0, new MemoryStream(new byte[10]))).Error);
        Assert.Equal(BlobError.InvalidPartNumber, (await store.UploadPartAsync(upload.Id, 3, new MemoryStream(new byte[10]))).Error);
        Assert.Equal(BlobError.NotFound, (await store.UploadPartAsync(BlobUploadId.New(), 1, new MemoryStream(new byte[10]))).Error);
        Assert.Empty((await store.ListPartsAsync(upload.Id)).Value!);
    }

    [Fact]
    public async Task Complete_HashMismatch_NothingCommittedAndUploadDiscarded()
    {
        // Arrange: the client claims the hash of other bytes (or the server received corrupted ones).
        var store = CreateStore();
        var blob = Blob(1000, seed: 4);
        var claimed = AttachmentCiphertextHash.Compute(Blob(1000, seed: 5));
        var upload = (await store.BeginUploadAsync(blob.Length)).Value!;
        await store.UploadPartAsync(upload.Id, 1, new MemoryStream(blob));

        // Act
        var result = await store.CompleteUploadAsync(upload.Id, claimed);

        // Assert
        Assert.Equal(BlobError.HashMismatch, result.Error);
        Assert.Equal(BlobError.NotFound, (await store.GetInfoAsync(BlobId.FromHash(claimed))).Error);
        Assert.Equal(BlobError.NotFound, (await store.GetInfoAsync(BlobId.FromHash(AttachmentCiphertextHash.Compute(blob)))).Error);
        Assert.Equal(BlobError.NotFound, (await store.GetUploadAsync(upload.Id)).Error);
    }

    [Fact]
    public async Task Complete_MissingPartOrUnknownUpload_Refused()
    {
        var store = CreateStore();
        var blob = Blob(PartSize + 1, seed: 6);
        var upload = (await store.BeginUploadAsync(blob.Length)).Value!;
        await store.UploadPartAsync(upload.Id, 2, Slice(blob, upload, 2));

        Assert.Equal(BlobError.IncompleteUpload, (await store.CompleteUploadAsync(upload.Id, AttachmentCiphertextHash.Compute(blob))).Error);
        Assert.Equal(BlobError.NotFound, (await store.CompleteUploadAsync(BlobUploadId.New(), AttachmentCiphertextHash.Compute(blob))).Error);
        Assert.True((await store.GetUploadAsync(upload.Id)).IsSuccess);
    }

    [Fact]
    public async Task OpenRead_Ranges_ExactBytesAndInvalidRangesRefused()
    {
        var store = CreateStore();
        var blob = Blob(100_000, seed: 7);
        var id = await CommitAsync(store, blob);

        Assert.Equal(blob.AsSpan(1000, 5000).ToArray(), await ReadAsync(store, id, 1000, 5000));
        Assert.Equal(blob.AsSpan(99_000).ToArray(), await ReadAsync(store, id, 99_000, null));
        Assert.Empty(await ReadAsync(store, id, blob.Length, null));
        await using (var read = (await store.OpenReadAsync(id, 10, 20)).Value!)
        {
            Assert.Equal((10, 20, blob.Length), (read.Offset, read.Length, read.TotalLength));
        }

        Assert.Equal(BlobError.InvalidRange, (await store.OpenReadAsync(id, blob.Length + 1)).Error);
        Assert.Equal(BlobError.InvalidRange, (await store.OpenReadAsync(id, 10, blob.Length)).Error);
        Assert.Equal(BlobError.InvalidRange, (await store.OpenReadAsync(id, -1)).Error);
        Assert.Equal(BlobError.NotFound, (await store.OpenReadAsync(BlobId.FromHash(new byte[32]))).Error);
    }

    [Fact]
    public async Task BeginUpload_AboveLimitOrEmpty_TypedError()
    {
        var store = CreateStore(maxBlobSize: 10 * 1024 * 1024);

        Assert.Equal(10 * 1024 * 1024, store.MaxBlobSize);
        Assert.Equal(BlobError.TooLarge, (await store.BeginUploadAsync((10 * 1024 * 1024) + 1)).Error);
        Assert.Equal(BlobError.TooLarge, (await CreateStore().BeginUploadAsync(BlobStorageOptions.DefaultMaxBlobSize + 1)).Error);
        Assert.Equal(BlobError.InvalidLength, (await store.BeginUploadAsync(0)).Error);
        Assert.True((await store.BeginUploadAsync(10 * 1024 * 1024)).IsSuccess);
    }

    [Fact]
    public async Task CleanupAbandonedUploads_OlderThanAge_RemovedYoungerKept()
    {
        // Arrange: two uploads begin, 13 hours pass, a third begins, 12 more hours pass.
        var store = CreateStore();
        var old1 = (await store.BeginUploadAsync(100)).Value!;
        var old2 = (await store.BeginUploadAsync(PartSize + 1)).Value!;
        await store.UploadPartAsync(old2.Id, 1, new MemoryStream(Blob(PartSize)));
        Time.Advance(TimeSpan.FromHours(13));
        var recent = (await store.BeginUploadAsync(100)).Value!;
        Time.Advance(TimeSpan.FromHours(12));

        // Act
        var removed = await store.CleanupAbandonedUploadsAsync();

        // Assert
        Assert.True(removed >= 2, $"removed {removed}");
        Assert.Equal(BlobError.NotFound, (await store.GetUploadAsync(old1.Id)).Error);
        Assert.Equal(BlobError.NotFound, (await CreateStore().ListPartsAsync(old2.Id)).Error);
        Assert.True((await store.GetUploadAsync(recent.Id)).IsSuccess);
        Assert.Equal(0, await store.CleanupAbandonedUploadsAsync());
    }

    [Fact]
    public async Task AbortAndDelete_RemoveUploadAndBlob()
    {
        var store = CreateStore();
        var upload = (await store.BeginUploadAsync(100)).Value!;
        await store.UploadPartAsync(upload.Id, 1, new MemoryStream(Blob(100)));
        var id = await CommitAsync(store, Blob(200, seed: 9));

        Assert.Equal(BlobError.None, await store.AbortUploadAsync(upload.Id));
        Assert.Equal(BlobError.NotFound, (await store.ListPartsAsync(upload.Id)).Error);
        Assert.Equal(BlobError.NotFound, await store.AbortUploadAsync(upload.Id));
        Assert.Equal(BlobError.None, await store.DeleteAsync(id));
        Assert.Equal(BlobError.NotFound, (await store.GetInfoAsync(id)).Error);
        Assert.Equal(BlobError.NotFound, await store.DeleteAsync(id));
    }

    [Fact]
    public async Task Complete_SameBytesTwice_BothSucceedWithOneBlob()
    {
        var store = CreateStore();
        var blob = Blob(4096, seed: 10);

        var a = await CommitAsync(store, blob);
        var b = await CommitAsync(store, blob);

        Assert.Equal(a, b);
        Assert.Equal(blob, await ReadAllAsync(store, a));
    }

    [Fact]
    public async Task Attachment_EncryptUploadRangedDownloadDecrypt_ByteIdentical()
    {
        // Arrange: a real attachment ciphertext, uploaded in parts.
        var store = CreateStore();
        var plaintext = Blob((PartSize * 3 / 2) + 333, seed: 11);
        using var ciphertext = new MemoryStream();
        using var manifest = (await AttachmentEncryptor.EncryptAsync(new MemoryStream(plaintext), ciphertext, new AttachmentDescription("annex.pdf", "application/pdf"))).Value!;
        var id = await CommitAsync(store, ciphertext.ToArray());
        Assert.Equal(manifest.BlobId, id.Value);

        // Act: the download breaks after 3 MiB and resumes with a range from there.
        var head = await ReadAsync(store, id, 0, 3 << 20);
        var tail = await ReadAsync(store, id, head.Length, null);
        var directory = System.IO.Directory.CreateTempSubdirectory("sdlg-blob-");
        var path = Path.Combine(directory.FullName, "annex.pdf");
        var error = await AttachmentDecryptor.DecryptToFileAsync(manifest, new MemoryStream([.. head, .. tail]), path);

        // Assert
        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(path));
        directory.Delete(recursive: true);
    }

    private protected static async Task<BlobId> CommitAsync(IBlobStore store, byte[] blob)
    {
        var upload = (await store.BeginUploadAsync(blob.Length)).Value!;
        for (var n = 1; n <= upload.PartCount; n++)
        {
            Assert.True((await store.UploadPartAsync(upload.Id, n, Slice(blob, upload, n))).IsSuccess);
        }

        var committed = await store.CompleteUploadAsync(upload.Id, AttachmentCiphertextHash.Compute(blob));
        Assert.True(committed.IsSuccess, committed.ToString());
        return committed.Value.Id;
    }

    private static MemoryStream Slice(byte[] blob, BlobUpload upload, int number) =>
        new(blob, (int)upload.PartOffset(number), upload.PartLength(number), writable: false);

    private static Task<byte[]> ReadAllAsync(IBlobStore store, BlobId id) => ReadAsync(store, id, 0, null);

    private static async Task<byte[]> ReadAsync(IBlobStore store, BlobId id, long offset, long? length)
    {
        var opened = await store.OpenReadAsync(id, offset, length);
        Assert.True(opened.IsSuccess, opened.ToString());
        await using var read = opened.Value;
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        Assert.Equal(read.Length, copy.Length);
        return copy.ToArray();
    }

    /// <summary>A request body whose connection drops after <c>breakAfter</c> bytes.</summary>
    private sealed class BreakingStream(ReadOnlyMemory<byte> content, int breakAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= breakAfter)
            {
                throw new IOException("connection reset by peer (simulated)");
            }

            var n = Math.Min(Math.Min(buffer.Length, breakAfter - _position), content.Length - _position);
            content.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
