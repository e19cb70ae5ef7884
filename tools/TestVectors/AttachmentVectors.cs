using System.Text.Json.Nodes;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

/// <summary>
/// protocol.md section 15. libsodium draws the secretstream header inside init_push, so the ciphertexts are
/// not reproducible: like the epoch records, committed files are kept as long as they still decrypt with the
/// current code and still describe the current fixtures, and are checked in the decryption direction.
/// </summary>
internal static class AttachmentVectors
{
    private static readonly long[] s_sizes =
    [
        0, 1, 256, 257, 65_535, 65_536, 65_537, 131_072, 150_000, 1_000_000, 1L << 30, (1L << 30) + 1, 2_147_483_648, 1L << 40,
    ];

    private static readonly (string Name, string FileName, string MediaType, int Length, byte KeyByte)[] s_files =
    [
        ("empty", "empty.txt", "text/plain", 0, 0x10),
        ("small", "Réponse au questionnaire.pdf", "application/pdf", 100, 0x20),
        ("two-chunks", "annex-2.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 65_536 + 500, 0x30),
    ];

    public static JsonObject Build(JsonObject? existing)
    {
        var files = new JsonArray();
        foreach (var spec in s_files)
        {
            var kept = existing?["files"]?.AsArray().OfType<JsonObject>().FirstOrDefault(f => (string?)f["name"] == spec.Name);
            files.Add(kept is not null && StillValid(kept, spec) ? kept.DeepClone() : Fresh(spec));
        }

        var sizes = new JsonArray();
        foreach (var length in s_sizes)
        {
            sizes.Add(new JsonObject
            {
                ["plaintext_length"] = length,
                ["padded_length"] = AttachmentFormat.PaddedLength(length),
                ["chunk_count"] = AttachmentFormat.ChunkCount(length),
                ["ciphertext_length"] = AttachmentFormat.CiphertextLength(length),
            });
        }

        return new JsonObject
        {
            ["description"] = "Attachments (protocol.md section 15): Padme sizes, and files encrypted with a fixed file key. The secretstream header is random (drawn inside init_push), so check by decrypting: init_pull(header = ciphertext[0..24], file_key), pull every chunk (65553 bytes, the last shorter) with empty associated data except the final chunk's, compare the plaintext (byte i = (i * 7 + 3) mod 256, then zero padding) and both hashes, and decode the manifest.",
            ["chunk_size"] = AttachmentFormat.ChunkSize,
            ["header_size"] = AttachmentFormat.HeaderSize,
            ["chunk_overhead"] = AttachmentFormat.ChunkOverhead,
            ["minimum_padded_length"] = AttachmentFormat.MinimumPaddedLength,
            ["sizes"] = sizes,
            ["files"] = files,
        };
    }

    public static byte[] Plaintext(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 7) + 3);
        }

        return bytes;
    }

    private static JsonObject Fresh((string Name, string FileName, string MediaType, int Length, byte KeyByte) spec)
    {
        var plaintext = Plaintext(spec.Length);
        using var output = new MemoryStream();
        var result = AttachmentEncryptor.EncryptCoreAsync(
            new MemoryStream(plaintext), output, new AttachmentDescription(spec.FileName, spec.MediaType), null,
            AttachmentFormat.MaxPlaintextLength, new FixedKey(spec.KeyByte), null, default).GetAwaiter().GetResult();
        Checks.That(result.IsSuccess, $"{spec.Name} encrypts");
        using var manifest = result.Value!;
        var ciphertext = output.ToArray();
        var encoded = manifest.Encode();
        var file = new JsonObject
        {
            ["name"] = spec.Name,
            ["file_name"] = spec.FileName,
            ["media_type"] = spec.MediaType,
            ["plaintext_length"] = spec.Length,
            ["padded_length"] = manifest.PaddedLength,
            ["chunk_count"] = manifest.ChunkCount,
            ["file_key"] = Json.Hex(FixedKey.Bytes(spec.KeyByte)),
            ["plaintext_hash"] = Json.Hex(manifest.PlaintextHash),
            ["final_chunk_associated_data"] = Json.Hex(AttachmentDescription.FinalChunkAssociatedData(spec.FileName, spec.MediaType, spec.Length)),
            ["header"] = Json.Hex(ciphertext.AsSpan(0, AttachmentFormat.HeaderSize)),
            ["ciphertext_length"] = ciphertext.Length,
            ["ciphertext_hash"] = Json.Hex(manifest.CiphertextHash),
            ["manifest"] = Json.Hex(encoded),
            ["ciphertext"] = Json.Hex(ciphertext),
        };
        Checks.That(StillValid(file, spec), $"{spec.Name} decrypts");
        return file;
    }

    private static bool StillValid(JsonObject file, (string Name, string FileName, string MediaType, int Length, byte KeyByte) spec)
    {
        try
        {
            var encoded = Convert.FromHexString((string)file["manifest"]!);
            var ciphertext = Convert.FromHexString((string)file["ciphertext"]!);
            var decoded = AttachmentManifest.Decode(encoded);
            if (!decoded.IsSuccess)
            {
                return false;
            }

            using var manifest = decoded.Value;
            var sink = new MemoryStream();
            var error = AttachmentDecryptor.DecryptAsync(manifest, new MemoryStream(ciphertext), sink, null, default).GetAwaiter().GetResult();
            return error == AttachmentError.None && sink.ToArray().AsSpan().SequenceEqual(Plaintext(spec.Length)) &&
                   manifest.FileName == spec.FileName && manifest.MediaType == spec.MediaType &&
                   Convert.ToHexStringLower(FixedKey.Bytes(spec.KeyByte)) == (string?)file["file_key"] &&
                   manifest.Encode().AsSpan().SequenceEqual(encoded);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class FixedKey(byte first) : IRandomSource
    {
        public static byte[] Bytes(byte first) => [.. Enumerable.Range(0, 32).Select(i => (byte)(first + i))];

        public void Fill(Span<byte> destination) => Bytes(first).AsSpan(0, destination.Length).CopyTo(destination);
    }
}
