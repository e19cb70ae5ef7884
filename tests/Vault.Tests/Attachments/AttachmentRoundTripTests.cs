using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Tests.Attachments;

public sealed class AttachmentRoundTripTests : IDisposable
{
    private const int C = AttachmentFixture.C;
    private readonly AttachmentFixture _f = new();

    public void Dispose() => _f.Dispose();

    public static TheoryData<int> Sizes => [0, 1, 255, 256, 257, C - 1, C, C + 1, (2 * C) - 1, 2 * C, (2 * C) + 1, (3 * 1024 * 1024) + 12345];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task EncryptThenDecrypt_Size_ByteIdenticalFileAndConsistentManifest(int size)
    {
        // Arrange
        var plaintext = AttachmentFixture.Plaintext(size);

        // Act
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(plaintext);
        using var _ = manifest;
        var error = await _f.DecryptAsync(manifest, ciphertext);

        // Assert
        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(_f.FinalPath));
        Assert.Equal(size, manifest.PlaintextLength);
        Assert.Equal(AttachmentFormat.CiphertextLength(size), ciphertext.Length);
        Assert.Equal(manifest.CiphertextLength, ciphertext.Length);
        Assert.Equal(AttachmentCiphertextHash.Compute(ciphertext), manifest.CiphertextHash.ToArray());
        var padded = AttachmentFormat.PaddedLength(size);
        Assert.Equal(Math.Max(1, (padded + C - 1) / C), manifest.ChunkCount);
        Assert.Equal(24 + padded + (17 * manifest.ChunkCount), ciphertext.Length);
        Assert.Equal("Rapport d'examen – UNTOC.pdf", manifest.FileName);
        Assert.Equal("application/pdf", manifest.MediaType);
    }

    [Fact]
    public async Task Encrypt_EmptyFile_OneFinalChunkOfPaddingOnly()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync([]);
        using var _ = manifest;

        Assert.Equal(1, manifest.ChunkCount);
        Assert.Equal(24 + 256 + 17, ciphertext.Length);
        Assert.Equal(AttachmentError.None, await _f.DecryptAsync(manifest, ciphertext));
        Assert.Empty(await File.ReadAllBytesAsync(_f.FinalPath));
    }

    [Fact]
    public async Task Encrypt_SamePlaintextTwice_DifferentKeysHeadersAndCiphertexts()
    {
        var plaintext = AttachmentFixture.Plaintext(1000);

        var (a, ca) = await AttachmentFixture.EncryptAsync(plaintext);
        var (b, cb) = await AttachmentFixture.EncryptAsync(plaintext);
        using var _ = a;
        using var __ = b;

        Assert.False(a.DescribesSameFile(b));
        Assert.Equal(a.PlaintextHash.ToArray(), b.PlaintextHash.ToArray());
        Assert.NotEqual(ca.AsSpan(0, 24).ToArray(), cb.AsSpan(0, 24).ToArray());
        Assert.NotEqual(a.BlobId, b.BlobId);
    }

    [Fact]
    public void PaddedLength_MatchesEnvelopePaddingAndIsMonotone()
    {
        long previous = 0;
        for (var length = 0; length <= Padding.MaxPaddedLength; length += length < 5000 ? 1 : 997)
        {
            var padded = AttachmentFormat.PaddedLength(length);
            Assert.Equal(Padding.PaddedLength(length), padded);
            Assert.True(padded >= length && padded >= previous);
            Assert.True(padded <= Math.Max(256, length * 1.12 + 1));
            previous = padded;
        }

        Assert.Equal(AttachmentFormat.MaxPlaintextLength, AttachmentFormat.PaddedLength(AttachmentFormat.MaxPlaintextLength));
        Assert.Equal(1L << 30, AttachmentFormat.PaddedLength(1L << 30));
        Assert.Equal((1L << 30) + (1L << 25), AttachmentFormat.PaddedLength((1L << 30) + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttachmentFormat.PaddedLength(AttachmentFormat.MaxPlaintextLength + 1));
    }

    [Fact]
    public async Task Manifest_ThroughEnvelopeSegment_RoundTripsAndDecrypts()
    {
        var plaintext = AttachmentFixture.Plaintext(70_000);
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(plaintext);
        using var _ = manifest;

        var segment = manifest.ToSegment();
        var decoded = AttachmentManifest.FromSegment(segment);

        Assert.True(decoded.IsSuccess, decoded.ToString());
        using var copy = decoded.Value;
        Assert.True(copy.DescribesSameFile(manifest));
        Assert.Equal(manifest.Encode(), copy.Encode());
        Assert.Equal(SegmentKind.FileReference, segment.Kind);
        Assert.Equal(AttachmentManifest.FixedSize + 30 + 15, segment.Content.Length);
        Assert.Equal(AttachmentError.None, await _f.DecryptAsync(copy, ciphertext));
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.FromSegment(Segment.Text("not a manifest")).Error);
    }

    [Fact]
    public async Task Encrypt_ProgressAndLimit_ReportsBytesAndRefusesOversizedSource()
    {
        var reports = new List<long>();
        var progress = new SynchronousProgress(reports);
        using var sink = new CountingSink();

        var ok = await AttachmentEncryptor.EncryptAsync(new PatternStream((3 * C) + 5), sink, AttachmentFixture.Report, progress);
        var tooLarge = await AttachmentEncryptor.EncryptAsync(new PatternStream((3 * C) + 5), new CountingSink(), AttachmentFixture.Report, maxPlaintextLength: 3 * C);

        Assert.True(ok.IsSuccess);
        ok.Value.Dispose();
        Assert.Equal((3 * C) + 5, reports[^1]);
        Assert.Equal(reports.Order().ToList(), reports);
        Assert.Equal(AttachmentError.TooLarge, tooLarge.Error);
    }

    [Fact]
    public async Task DecryptToFile_ExistingFileWithoutOverwrite_DestinationExistsAndFileUntouched()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(10));
        using var _ = manifest;
        await File.WriteAllTextAsync(_f.FinalPath, "keep me");

        var error = await AttachmentDecryptor.DecryptToFileAsync(manifest, new MemoryStream(ciphertext), _f.FinalPath);

        Assert.Equal(AttachmentError.DestinationExists, error);
        Assert.Equal("keep me", await File.ReadAllTextAsync(_f.FinalPath));
        Assert.Single(Directory.GetFiles(_f.Directory));
    }

    [Fact]
    public async Task DecryptToFile_Cancelled_ThrowsAndLeavesNoFile()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(5 * C));
        using var _ = manifest;
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress([], _ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AttachmentDecryptor.DecryptToFileAsync(manifest, new MemoryStream(ciphertext), _f.FinalPath, progress: progress, cancellationToken: cts.Token));

        Assert.Empty(Directory.GetFiles(_f.Directory));
    }

    [Fact]
    public void Description_InvalidNamesAndTypes_Refused()
    {
        foreach (var name in new[] { "", ".", "..", "a/b", "a\\b", "a\0b", "tab\tname", "evil\u202Efdp.exe", "x\u0085", new string('a', 1025), "\ud800" })
        {
            Assert.Throws<ArgumentException>(() => new AttachmentDescription(name));
        }

        foreach (var type in new[] { "", "pdf", "/pdf", "application/", "Application/pdf", "application/pdf; charset=x", "application/p df", "-a/b" })
        {
            Assert.Throws<ArgumentException>(() => new AttachmentDescription("a.pdf", type));
        }

        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            new AttachmentDescription("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document").MediaType);
        Assert.Equal("Résumé 2026 (final).docx", new AttachmentDescription("Résumé 2026 (final).docx").FileName);
    }

    private sealed class SynchronousProgress(List<long> reports, Action<long>? onReport = null) : IProgress<long>
    {
        public void Report(long value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
