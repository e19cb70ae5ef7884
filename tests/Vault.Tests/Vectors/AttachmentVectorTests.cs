using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Vectors;

/// <summary>
/// Checks docs/test-vectors/attachments.json (protocol.md section 15) in the decryption direction: once with bare
/// libsodium secretstream and BLAKE2b calls following the specification, once through the library.
/// </summary>
public sealed class AttachmentVectorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sdlg-att-vec-").FullName;

    public static TheoryData<string> FileNames => [.. Load().GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Sizes_MatchPadmeAndChunkFormulas()
    {
        foreach (var size in Load().GetProperty("sizes").EnumerateArray())
        {
            var length = size.GetProperty("plaintext_length").GetInt64();
            var padded = Padme(length);
            var chunks = Math.Max(1, (padded + 65535) / 65536);
            Assert.Equal(padded, size.GetProperty("padded_length").GetInt64());
            Assert.Equal(chunks, size.GetProperty("chunk_count").GetInt64());
            Assert.Equal(24 + padded + (17 * chunks), size.GetProperty("ciphertext_length").GetInt64());
            Assert.Equal(padded, AttachmentFormat.PaddedLength(length));
            Assert.Equal(24 + padded + (17 * chunks), AttachmentFormat.CiphertextLength(length));
        }
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void File_DecryptedStepByStepFromSpecification_PlaintextHashesAndManifestMatch(string name)
    {
        // Arrange
        var v = File(name);
        var key = Hex(v, "file_key");
        var ciphertext = Hex(v, "ciphertext");
        var length = v.GetProperty("plaintext_length").GetInt32();
        var fileName = v.GetProperty("file_name").GetString()!;
        var mediaType = v.GetProperty("media_type").GetString()!;
        var padded = (int)Padme(length);
        var chunks = Math.Max(1, (padded + 65535) / 65536);

        // Act: init_pull + pull per chunk with raw libsodium calls.
        Sodium.EnsureInitialized();
        using var keyHandle = SecureMemoryHandle.CreateFrom(key);
        using var state = SecureMemoryHandle.Create(52);
        Assert.Equal(0, Libsodium.crypto_secretstream_xchacha20poly1305_init_pull(state, in ciphertext[0], keyHandle));
        byte[] finalAd =
        [
            .. Encoding.ASCII.GetBytes("SecureDialogue/attachment/v1"), 0,
            .. BigEndian16(Encoding.UTF8.GetByteCount(fileName)), .. Encoding.UTF8.GetBytes(fileName),
            (byte)mediaType.Length, .. Encoding.ASCII.GetBytes(mediaType), .. BigEndian64(length),
        ];
        var padded_plaintext = new List<byte>();
        var offset = 24;
        for (var i = 0; i < chunks; i++)
        {
            var chunkLength = Math.Min(65536, padded - (i * 65536));
            var plain = new byte[chunkLength];
            var ad = i == chunks - 1 ? finalAd : [];
            var rc = Libsodium.crypto_secretstream_xchacha20poly1305_pull(
                state, ref MemoryMarshal.GetReference(plain.AsSpan()), out var written, out var tag,
                in ciphertext[offset], (ulong)(chunkLength + 17), in MemoryMarshal.GetReference(ad.AsSpan()), (ulong)ad.Length);
            Assert.Equal(0, rc);
            Assert.Equal((ulong)chunkLength, written);
            Assert.Equal(i == chunks - 1 ? 3 : 0, tag);
            padded_plaintext.AddRange(plain);
            offset += chunkLength + 17;
        }

        // Assert
        Assert.Equal(ciphertext.Length, offset);
        Assert.Equal(v.GetProperty("ciphertext_length").GetInt32(), ciphertext.Length);
        AssertHex(v, "header", ciphertext.AsSpan(0, 24).ToArray());
        AssertHex(v, "final_chunk_associated_data", finalAd);
        var plaintext = Enumerable.Range(0, length).Select(i => (byte)((i * 7) + 3)).ToArray();
        Assert.Equal([.. plaintext, .. new byte[padded - length]], padded_plaintext);
        AssertHex(v, "plaintext_hash", Blake2bHash("sdlg.att.plain", plaintext));
        AssertHex(v, "ciphertext_hash", Blake2bHash("sdlg.att.hash", ciphertext));

        byte[] manifest =
        [
            1, 1, .. BigEndian16(Encoding.UTF8.GetByteCount(fileName)), .. Encoding.UTF8.GetBytes(fileName),
            (byte)mediaType.Length, .. Encoding.ASCII.GetBytes(mediaType), .. BigEndian64(length),
            .. Hex(v, "plaintext_hash"), .. BigEndian32(65536), .. BigEndian32(chunks), .. key, .. Hex(v, "ciphertext_hash"),
            .. BigEndian64(ciphertext.Length),
        ];
        AssertHex(v, "manifest", manifest);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task File_ThroughLibrary_DecodesAndDecryptsToPlaintext(string name)
    {
        var v = File(name);
        var decoded = AttachmentManifest.Decode(Hex(v, "manifest"));
        Assert.True(decoded.IsSuccess, decoded.ToString());
        using var manifest = decoded.Value;
        var path = Path.Combine(_directory, name);

        var error = await AttachmentDecryptor.DecryptToFileAsync(manifest, new MemoryStream(Hex(v, "ciphertext")), path);

        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(v.GetProperty("file_name").GetString(), manifest.FileName);
        Assert.Equal(Hex(v, "manifest"), manifest.Encode());
        Assert.Equal(Enumerable.Range(0, v.GetProperty("plaintext_length").GetInt32()).Select(i => (byte)((i * 7) + 3)), await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal(v.GetProperty("ciphertext_hash").GetString(), manifest.BlobId);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task File_ReEncryptedWithStoredKeyAndHeader_ByteIdenticalCiphertext(string name)
    {
        // libsodium's init_push and init_pull derive the same state from (key, header): with the vector's key and the
        // ciphertext's first 24 bytes, the encryptor reproduces the stored ciphertext exactly (section 15.10, resuming).
        var v = File(name);
        var ciphertext = Hex(v, "ciphertext");
        using var key = AttachmentResumeKey.FromParts(Hex(v, "file_key"), ciphertext.AsSpan(0, 24));
        var plaintext = Enumerable.Range(0, v.GetProperty("plaintext_length").GetInt32()).Select(i => (byte)((i * 7) + 3)).ToArray();
        using var output = new MemoryStream();

        var result = await AttachmentEncryptor.EncryptAsync(
            new MemoryStream(plaintext), output, new AttachmentDescription(v.GetProperty("file_name").GetString()!, v.GetProperty("media_type").GetString()!), key);

        Assert.True(result.IsSuccess, result.ToString());
        using var manifest = result.Value;
        Assert.Equal(ciphertext, output.ToArray());
        Assert.Equal(Hex(v, "manifest"), manifest.Encode());
    }

    private static long Padme(long length)
    {
        if (length <= 256)
        {
            return 256;
        }

        var e = (long)Math.Floor(Math.Log2(length));
        var s = (long)Math.Floor(Math.Log2(e)) + 1;
        var mask = (1L << (int)(e - s)) - 1;
        return (length + mask) & ~mask;
    }

    private static byte[] Blake2bHash(string personal, byte[] input)
    {
        var p = new byte[16];
        Encoding.ASCII.GetBytes(personal, p);
        var output = new byte[32];
        Blake2b.Hash(p, input, output);
        return output;
    }

    private static byte[] BigEndian16(int value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
        return b;
    }

    private static byte[] BigEndian32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)value);
        return b;
    }

    private static byte[] BigEndian64(long value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, (ulong)value);
        return b;
    }

    private static void AssertHex(JsonElement v, string property, byte[] actual) =>
        Assert.Equal(v.GetProperty(property).GetString(), Convert.ToHexStringLower(actual));

    private static byte[] Hex(JsonElement v, string property) => Convert.FromHexString(v.GetProperty(property).GetString()!);

    private static JsonElement File(string name) =>
        Load().GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "attachments.json")));
        return document.RootElement.Clone();
    }
}
