using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Vault.Tests.Attachments;

/// <summary>
/// Security bar items 1 and 6 for files: every modification of a stored blob is the one error
/// <see cref="AttachmentError.Invalid"/>, and nothing is ever left at the final path.
/// </summary>
public sealed class AttachmentTamperTests : IDisposable
{
    private const int C = AttachmentFixture.C;
    private const int E = AttachmentFormat.EncryptedChunkSize;
    private const int H = AttachmentFormat.HeaderSize;

    // 150,000 bytes pad to 151,552: chunks of 65536, 65536 and 20480 plaintext bytes.
    private const int ThreeChunks = 150_000;
    private readonly AttachmentFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Decrypt_EveryByteOfSmallBlobFlipped_InvalidAndNoFile()
    {
        // Arrange: 100 bytes -> header, one final chunk of 256 padded bytes: 297 bytes in all.
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(100));
        using var _ = manifest;
        Assert.Equal(297, ciphertext.Length);

        for (var position = 0; position < ciphertext.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                // Act
                var tampered = (byte[])ciphertext.Clone();
                tampered[position] ^= mask;
                var error = await _f.DecryptAsync(manifest, tampered);

                // Assert
                Assert.Equal(AttachmentError.Invalid, error);
            }
        }
    }

    [Fact]
    public async Task Decrypt_SampledBytesOfEveryChunkFlipped_InvalidAndNoFile()
    {
        // Arrange
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(ThreeChunks));
        using var _ = manifest;
        Assert.Equal(3, manifest.ChunkCount);
        var positions = new SortedSet<int>(Enumerable.Range(0, H));
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var start = H + (chunk * E);
            var end = Math.Min(start + E, ciphertext.Length);
            positions.UnionWith(Enumerable.Range(start, 20));          // encrypted tag byte and first bytes
            positions.UnionWith(Enumerable.Range(end - 20, 20));       // last bytes and the 16-byte MAC
            positions.UnionWith(Enumerable.Range(0, 8).Select(i => start + 20 + (i * ((end - start - 40) / 8))));
        }

        foreach (var position in positions)
        {
            // Act
            var tampered = (byte[])ciphertext.Clone();
            tampered[position] ^= 0x20;

            // Assert
            Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, tampered));
        }
    }

    [Fact]
    public async Task Decrypt_TruncatedAtEveryChunkBoundaryAndInside_Invalid()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(ThreeChunks));
        using var _ = manifest;
        var cuts = new List<int> { 0, 1, H - 1, H, ciphertext.Length - 1, ciphertext.Length - 17 };
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var boundary = H + (chunk * E);
            cuts.AddRange([boundary, boundary + 1, boundary + 17, Math.Min(boundary + E - 1, ciphertext.Length - 1)]);
        }

        foreach (var cut in cuts.Distinct())
        {
            Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, ciphertext[..cut]));
        }
    }

    [Fact]
    public async Task Decrypt_BytesAfterFinalChunk_Invalid()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(ThreeChunks));
        using var _ = manifest;
        var lastChunk = ciphertext[(H + (2 * E))..];

        Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, [.. ciphertext, 0]));
        Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, [.. ciphertext, .. new byte[17]]));
        Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, [.. ciphertext, .. lastChunk]));
        Assert.Equal(AttachmentError.None, await _f.DecryptAsync(manifest, ciphertext));
    }

    [Fact]
    public async Task Decrypt_DuplicatedSwappedOrDroppedChunks_Invalid()
    {
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(4 * C));
        using var _ = manifest;
        Assert.Equal(4, manifest.ChunkCount);
        var header = ciphertext[..H];
        var chunks = Enumerable.Range(0, 4).Select(i => ciphertext.AsSpan(H + (i * E), Math.Min(E, ciphertext.Length - H - (i * E))).ToArray()).ToArray();

        byte[][] variants =
        [
            Join(header, chunks[0], chunks[0], chunks[1], chunks[2], chunks[3]),   // duplicated
            Join(header, chunks[0], chunks[0], chunks[2], chunks[3]),              // duplicated in place of chunk 1
            Join(header, chunks[1], chunks[0], chunks[2], chunks[3]),              // swapped
            Join(header, chunks[0], chunks[2], chunks[1], chunks[3]),              // swapped
            Join(header, chunks[0], chunks[1], chunks[3]),                         // dropped
            Join(header, chunks[0], chunks[1], chunks[2]),                         // final chunk dropped
            Join(header, chunks[0], chunks[1], chunks[2], chunks[2]),              // last full chunk repeated as last
        ];

        foreach (var variant in variants)
        {
            Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(manifest, variant));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Decrypt_ChunksSplicedFromAnotherFile_Invalid(bool sameKey)
    {
        // Arrange: two files of the same length, under one key or two.
        var (a, ca) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(3 * C, seed: 1), keySource: sameKey ? new FixedKeySource(7) : null);
        var (b, cb) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(3 * C, seed: 2), keySource: sameKey ? new FixedKeySource(7) : null);
        using var _ = a;
        using var __ = b;
        Assert.Equal(sameKey, a.FileKey.FixedTimeEquals(b.FileKey));

        byte[][] variants =
        [
            [.. cb[..H], .. ca[H..]],                                              // b's header, a's chunks
            [.. ca[..(H + E)], .. cb[(H + E)..(H + (2 * E))], .. ca[(H + (2 * E))..]],  // b's middle chunk
            [.. ca[..(H + (2 * E))], .. cb[(H + (2 * E))..]],                      // b's final chunk
            cb,                                                                    // the server swaps the blobs
        ];

        foreach (var variant in variants)
        {
            Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(a, variant));
        }

        Assert.Equal(AttachmentError.None, await _f.DecryptAsync(a, ca));
    }

    [Fact]
    public async Task Decrypt_ManifestWithAlteredNameTypeSizeHashOrKey_InvalidOrMalformed()
    {
        // Arrange
        var (manifest, ciphertext) = await AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(ThreeChunks), new AttachmentDescription("a.pdf", "application/pdf"));
        using var _ = manifest;
        var encoded = manifest.Encode();
        const int nameAt = 4, typeAt = 4 + 5 + 1, sizeAt = typeAt + 15, plainHashAt = sizeAt + 8, keyAt = plainHashAt + 40, cipherHashAt = keyAt + 32;

        // Same-bucket edits decode but no longer match the blob: Invalid.
        byte[][] decodable =
        [
            Edit(encoded, nameAt, (byte)'b'),                           // name "b.pdf"
            Edit(encoded, typeAt + 13, (byte)'x'),                      // type "application/pxf"
            Edit(encoded, sizeAt + 7, (byte)(encoded[sizeAt + 7] + 1)), // plaintext length 150,001 (same padded size)
            Edit(encoded, sizeAt + 7, (byte)(encoded[sizeAt + 7] - 1)), // 149,999
            Edit(encoded, plainHashAt, (byte)(encoded[plainHashAt] ^ 1)),
            Edit(encoded, keyAt + 31, (byte)(encoded[keyAt + 31] ^ 1)),
            Edit(encoded, cipherHashAt + 5, (byte)(encoded[cipherHashAt + 5] ^ 1)),
        ];
        foreach (var bytes in decodable)
        {
            var decoded = AttachmentManifest.Decode(bytes);
            Assert.True(decoded.IsSuccess, decoded.ToString());
            using var altered = decoded.Value;
            Assert.Equal(AttachmentError.Invalid, await _f.DecryptAsync(altered, ciphertext));
        }

        // A size in another bucket contradicts the chunk count and ciphertext length: Malformed.
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(Edit(encoded, sizeAt + 5, 0x10)).Error);
        Assert.Equal(AttachmentError.None, await _f.DecryptAsync(manifest, ciphertext));
    }

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Edit(byte[] source, int position, byte value)
    {
        var copy = (byte[])source.Clone();
        copy[position] = value;
        return copy;
    }
}
