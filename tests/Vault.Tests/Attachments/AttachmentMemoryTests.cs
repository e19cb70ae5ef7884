using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Vault.Tests.Attachments;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// A 1 GiB file, generated on the fly, encrypts and decrypts in constant managed memory. Runs alone (no
/// other test allocates meanwhile) because the process-wide allocation counter is what it measures.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class AttachmentMemoryTests : IDisposable
{
    private const long OneGiB = 1L << 30;

    // Total managed allocation over the whole run, garbage included: the pooled 64 KiB buffers are rented once;
    // what remains is the streams' per-read bookkeeping (FileStream.ReadAsync, ~150 bytes per 64 KiB chunk),
    // i.e. under 0.4% of the data and never live at once. Holding the file would be 1 GiB.
    private const long AllocationBudget = 4L * 1024 * 1024;
    private readonly AttachmentFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task EncryptAndDecrypt_OneGibStream_ManagedAllocationsBoundedByChunkNotFileSize()
    {
        // Arrange: the ciphertext goes to a file (it has to be somewhere); the plaintext never exists whole.
        var blob = Path.Combine(_f.Directory, "blob");
        await AttachmentEncryptor.EncryptAsync(new PatternStream(4096), new CountingSink(), AttachmentFixture.Report); // warm-up: pools, JIT
        GC.Collect();

        // Act: encrypt.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Result<AttachmentManifest, AttachmentError> result;
        await using (var output = new FileStream(blob, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 }))
        {
            result = await AttachmentEncryptor.EncryptAsync(new PatternStream(OneGiB, seed: 3), output, AttachmentFixture.Report);
        }

        var encryptAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(result.IsSuccess);
        using var manifest = result.Value;

        // Act: decrypt into a sink that checks every byte against the pattern.
        var sink = new CountingSink(seed: 3);
        before = GC.GetTotalAllocatedBytes(precise: true);
        AttachmentError error;
        await using (var input = new FileStream(blob, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 0 }))
        {
            error = await AttachmentDecryptor.DecryptAsync(manifest, input, sink, null, default);
        }

        var decryptAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // Assert
        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(OneGiB, sink.Count);
        Assert.True(sink.MatchesPattern);
        Assert.Equal(AttachmentFormat.CiphertextLength(OneGiB), new FileInfo(blob).Length);
        Assert.True(encryptAllocated < AllocationBudget, $"encryption allocated {encryptAllocated:N0} bytes");
        Assert.True(decryptAllocated < AllocationBudget, $"decryption allocated {decryptAllocated:N0} bytes");
    }
}
