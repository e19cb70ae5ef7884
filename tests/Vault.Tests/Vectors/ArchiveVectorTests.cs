using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Vectors;

/// <summary>
/// Checks docs/test-vectors/archive-vectors.json twice: through the library (ArchiveEntry, MerkleLog,
/// CheckpointSigner, SignedCheckpoint, LogView) and step by step from docs/protocol.md section 15 with SHA-256
/// and bare Ed25519. Shares no code with tools/TestVectors.
/// </summary>
public sealed class ArchiveVectorTests
{
    private static readonly JsonElement s_v = Load();

    [Fact]
    public void Entries_EncodingAndLeafHash_MatchTheDocumentedLayout()
    {
        var review = Guid.Parse(Str(s_v, "review"));
        foreach (var e in s_v.GetProperty("entries").EnumerateArray())
        {
            // By hand, section 15.2.
            var index = e.GetProperty("index").GetInt64();
            var kind = e.GetProperty("kind_byte").GetByte();
            var time = e.GetProperty("received_at_ms").GetInt64();
            var payload = Hex(e, "payload");
            var bytes = new List<byte> { 0x01 };
            bytes.AddRange(review.ToByteArray(bigEndian: true));
            bytes.AddRange(U64((ulong)index));
            bytes.Add(kind);
            bytes.AddRange(U64((ulong)time));
            if (e.GetProperty("target").ValueKind == JsonValueKind.Number)
            {
                bytes.AddRange(U64(e.GetProperty("target").GetUInt64()));
            }

            if (Str(e, "form") == "inline")
            {
                bytes.Add(0x00);
                bytes.AddRange(U32((uint)payload.Length));
                bytes.AddRange(payload);
            }
            else
            {
                bytes.Add(0x01);
                bytes.AddRange(U64((ulong)payload.Length));
                bytes.AddRange(SHA256.HashData(payload));
                AssertHex(e, "payload_sha256", SHA256.HashData(payload));
            }

            AssertHex(e, "encoded", [.. bytes]);
            AssertHex(e, "leaf_hash", SHA256.HashData([0x00, .. bytes]));

            // Through the library.
            var decoded = ArchiveEntry.Decode(Hex(e, "encoded")).Value!;
            Assert.Equal(Str(e, "kind"), decoded.Kind.ToString());
            Assert.Equal(index, decoded.Index);
            Assert.True(decoded.MatchesPayload(payload));
            AssertHex(e, "leaf_hash", decoded.LeafHash());
            AssertHex(e, "encoded", decoded.Encode());
        }
    }

    [Fact]
    public async Task RootsAndProofs_MatchMerkleLogAndVerify()
    {
        var leaves = s_v.GetProperty("entries").EnumerateArray().Select(e => Hex(e, "leaf_hash")).ToArray();
        var log = new MerkleLog(new InMemoryMerkleNodeStore());
        await log.AppendAsync(0, [.. leaves.Select(l => (ReadOnlyMemory<byte>)l)]);

        foreach (var r in s_v.GetProperty("roots").EnumerateArray())
        {
            var size = r.GetProperty("size").GetInt32();
            AssertHex(r, "root", Mth(leaves[..size]));
            AssertHex(r, "root", await log.GetRootAsync(size));
        }

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Str(s_v.GetProperty("roots")[0], "root"));
        foreach (var p in s_v.GetProperty("inclusion_proofs").EnumerateArray())
        {
            var (index, size) = (p.GetProperty("index").GetInt32(), p.GetProperty("size").GetInt32());
            var proof = Hashes(p, "proof");
            Assert.Equal(proof.Select(Convert.ToHexStringLower), (await log.GetInclusionProofAsync(index, size)).Select(Convert.ToHexStringLower));
            Assert.True(MerkleProofs.VerifyInclusion(leaves[index], index, size, Mth(leaves[..size]), proof));
        }

        foreach (var p in s_v.GetProperty("consistency_proofs").EnumerateArray())
        {
            var (oldSize, newSize) = (p.GetProperty("old_size").GetInt32(), p.GetProperty("new_size").GetInt32());
            var proof = Hashes(p, "proof");
            Assert.Equal(proof.Select(Convert.ToHexStringLower), (await log.GetConsistencyProofAsync(oldSize, newSize)).Select(Convert.ToHexStringLower));
            Assert.True(MerkleProofs.VerifyConsistency(oldSize, newSize, Mth(leaves[..oldSize]), Mth(leaves[..newSize]), proof));
            if (oldSize == 0)
            {
                Assert.Empty(proof);
            }
        }
    }

    [Fact]
    public async Task RangeProofs_MatchTheDocumentedRecursionMerkleLogAndVerify()
    {
        var leaves = s_v.GetProperty("entries").EnumerateArray().Select(e => Hex(e, "leaf_hash")).ToArray();
        var log = new MerkleLog(new InMemoryMerkleNodeStore());
        await log.AppendAsync(0, [.. leaves.Select(l => (ReadOnlyMemory<byte>)l)]);
        var count = 0;
        foreach (var p in s_v.GetProperty("range_proofs").EnumerateArray())
        {
            var (start, end, size) = (p.GetProperty("start").GetInt32(), p.GetProperty("end").GetInt32(), p.GetProperty("size").GetInt32());
            var proof = Hashes(p, "proof");

            // By hand, section 16.3: RANGE's recursion with MTH, and its fold back to the root.
            var expected = new List<byte[]>();
            Range(leaves[..size], start, end, 0, size, expected);
            Assert.Equal(expected.Select(Convert.ToHexStringLower), proof.Select(Convert.ToHexStringLower));
            var used = 0;
            Assert.Equal(Convert.ToHexStringLower(Mth(leaves[..size])), Convert.ToHexStringLower(Fold(leaves, start, end, 0, size, proof, ref used)));
            Assert.Equal(proof.Count, used);

            // Through the library.
            Assert.Equal(proof.Select(Convert.ToHexStringLower), (await log.GetRangeProofAsync(start, end, size)).Select(Convert.ToHexStringLower));
            Assert.Equal(MerkleRangeError.None, MerkleRangeProofs.Verify(leaves[start..end], start, size, Mth(leaves[..size]), proof));
            count++;
        }

        Assert.Equal(Enumerable.Range(1, leaves.Length).Sum(n => n * (n + 1) / 2), count);

        static void Range(byte[][] tree, int a, int b, int lo, int hi, List<byte[]> proof)
        {
            if (a <= lo && hi <= b)
            {
                return;
            }

            var k = 1;
            while (2 * k < hi - lo)
            {
                k *= 2;
            }

            var mid = lo + k;
            if (b <= mid)
            {
                Range(tree, a, b, lo, mid, proof);
                proof.Add(Mth(tree[mid..hi]));
            }
            else if (a >= mid)
            {
                Range(tree, a, b, mid, hi, proof);
                proof.Add(Mth(tree[lo..mid]));
            }
            else
            {
                Range(tree, a, b, lo, mid, proof);
                Range(tree, a, b, mid, hi, proof);
            }
        }

        static byte[] Fold(byte[][] leaves, int a, int b, int lo, int hi, List<byte[]> proof, ref int used)
        {
            if (a <= lo && hi <= b)
            {
                return Mth(leaves[lo..hi]);
            }

            var k = 1;
            while (2 * k < hi - lo)
            {
                k *= 2;
            }

            var mid = lo + k;
            if (b <= mid)
            {
                var left = Fold(leaves, a, b, lo, mid, proof, ref used);
                return SHA256.HashData([0x01, .. left, .. proof[used++]]);
            }

            if (a >= mid)
            {
                var right = Fold(leaves, a, b, mid, hi, proof, ref used);
                return SHA256.HashData([0x01, .. proof[used++], .. right]);
            }

            var l = Fold(leaves, a, b, lo, mid, proof, ref used);
            var r = Fold(leaves, a, b, mid, hi, proof, ref used);
            return SHA256.HashData([0x01, .. l, .. r]);
        }
    }

    [Fact]
    public void Checkpoint_BodyKeyIdsSignaturesAndTextMatchSignedNoteSpec()
    {
        var key = s_v.GetProperty("log_key");
        var checkpoint = s_v.GetProperty("checkpoint");
        var name = Str(key, "name");
        var publicKey = Hex(key, "public_key");
        var origin = Str(s_v, "origin");
        var size = checkpoint.GetProperty("tree_size").GetInt32();
        var root = Str(s_v.GetProperty("roots")[size], "root");

        // By hand: body, key IDs, both signature lines.
        var body = $"{origin}\n{size}\n{Convert.ToBase64String(Convert.FromHexString(root))}\n";
        Assert.Equal($"securedialogue.invalid/review/{Str(s_v, "review")}", origin);
        Assert.Equal(body, Str(checkpoint, "body"));
        Assert.Equal(Str(key, "note_key_id"), Convert.ToHexStringLower(KeyId(name, 0x01, publicKey)));
        Assert.Equal(Str(key, "timestamp_key_id"), Convert.ToHexStringLower(KeyId(name, 0x04, publicKey)));
        var time = checkpoint.GetProperty("time_s").GetInt64();
        Assert.Equal($"cosignature/v1\ntime {time}\n{body}", Str(checkpoint, "timestamp_message"));
        var lines = Str(checkpoint, "text").Split('\n');
        Assert.Equal(body, string.Join('\n', lines[..4]));
        Assert.Equal(string.Empty, lines[3]);
        Assert.Equal(string.Empty, lines[^1]);
        var note = SignatureLine(lines[4], name);
        var stamp = SignatureLine(lines[5], name);
        Assert.Equal(KeyId(name, 0x01, publicKey), note[..4]);
        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(body), note.AsSpan(4)));
        Assert.Equal(KeyId(name, 0x04, publicKey), stamp[..4]);
        Assert.Equal((ulong)time, BinaryPrimitives.ReadUInt64BigEndian(stamp.AsSpan(4)));
        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(Str(checkpoint, "timestamp_message")), stamp.AsSpan(12)));

        // Through the library: same key from the seed, same text, verifies.
        using var signer = CheckpointSigner.FromSeed(Hex(key, "seed"));
        Assert.Equal(publicKey, signer.PublicKey.ToArray());
        Assert.Equal(Str(key, "verifier_key"), signer.LogKey().VerifierKey);
        var signed = signer.Sign(origin, size, Convert.FromHexString(root), DateTimeOffset.FromUnixTimeSeconds(time));
        Assert.Equal(Str(checkpoint, "text"), signed.Text);
        var keys = new ArchiveKeyRing([ArchiveLogKey.FromVerifierKey(Str(key, "verifier_key")).Value!]);
        var verified = SignedCheckpoint.Parse(Encoding.UTF8.GetBytes(Str(checkpoint, "text"))).Value!.Verify(keys, origin).Value!;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(time), verified.Time);
    }

    [Fact]
    public void EmptyCheckpoint_RootIsSha256OfNothingAndAViewAcceptsIt()
    {
        var key = s_v.GetProperty("log_key");
        var empty = s_v.GetProperty("empty_checkpoint");
        Assert.Equal($"{Str(s_v, "origin")}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", Str(empty, "body"));

        var keys = new ArchiveKeyRing([ArchiveLogKey.FromVerifierKey(Str(key, "verifier_key")).Value!]);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(empty.GetProperty("time_s").GetInt64()));
        var view = new LogView(Guid.Parse(Str(s_v, "review")), keys, time);
        Assert.Equal(CheckpointUpdate.First, view.Update(Encoding.UTF8.GetBytes(Str(empty, "text")), []).Value);

        // From size 0 the consistency proof is empty; then every entry verifies against the size-7 checkpoint.
        Assert.Equal(CheckpointUpdate.Advanced, view.Update(Encoding.UTF8.GetBytes(Str(s_v.GetProperty("checkpoint"), "text")), []).Value);
        foreach (var p in s_v.GetProperty("inclusion_proofs").EnumerateArray().Where(p => p.GetProperty("size").GetInt32() == 7))
        {
            var entry = Hex(s_v.GetProperty("entries")[p.GetProperty("index").GetInt32()], "encoded");
            Assert.True(view.VerifyEntry(entry, 7, Hashes(p, "proof")).IsSuccess);
        }
    }

    [Fact]
    public void Cosignature_AlicesLineIsATlogCosignatureV1()
    {
        var c = s_v.GetProperty("cosignature");
        var checkpoint = s_v.GetProperty("checkpoint");
        var devices = LoadFile("devices.json").GetProperty("devices").EnumerateArray().Single(d => Str(d, "name") == "alice");
        var publicKey = Hex(devices, "signing_public_key");
        var name = $"securedialogue.invalid/device/{Str(devices, "device_id")}";
        var time = c.GetProperty("time_s").GetInt64();

        Assert.Equal(name, Str(c, "key_name"));
        Assert.Equal(Str(c, "key_id"), Convert.ToHexStringLower(KeyId(name, 0x04, publicKey)));
        Assert.Equal($"cosignature/v1\ntime {time}\n{Str(checkpoint, "body")}", Str(c, "message"));
        Assert.StartsWith(Str(checkpoint, "text"), Str(c, "text"), StringComparison.Ordinal);
        var line = SignatureLine(Str(c, "text").Split('\n')[^2], name);
        Assert.Equal((ulong)time, BinaryPrimitives.ReadUInt64BigEndian(line.AsSpan(4)));
        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(Str(c, "message")), line.AsSpan(12)));

        var card = DevicePublicKeys.Decode(Hex(devices, "card")).Value!;
        var keys = new ArchiveKeyRing([ArchiveLogKey.FromVerifierKey(Str(s_v.GetProperty("log_key"), "verifier_key")).Value!], [CosignerKey.ForDevice(card)]);
        var verified = SignedCheckpoint.Parse(Str(c, "text")).Value!.Verify(keys, Str(s_v, "origin")).Value!;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(time), Assert.Single(verified.Cosignatures).Time);
    }

    private static byte[] SignatureLine(string line, string name)
    {
        Assert.StartsWith($"\u2014 {name} ", line, StringComparison.Ordinal);
        return Convert.FromBase64String(line[(name.Length + 3)..]);
    }

    private static byte[] KeyId(string name, byte type, byte[] publicKey) => SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0a, type, .. publicKey])[..4];

    private static byte[] Mth(byte[][] leaves)
    {
        if (leaves.Length == 0)
        {
            return SHA256.HashData([]);
        }

        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Mth(leaves[..k]), .. Mth(leaves[k..])]);
    }

    private static JsonElement Load() => LoadFile("archive-vectors.json");

    private static JsonElement LoadFile(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", file)));
        return document.RootElement.Clone();
    }

    private static string Str(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static byte[] Hex(JsonElement element, string property) => Convert.FromHexString(Str(element, property));

    private static List<byte[]> Hashes(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))];

    private static void AssertHex(JsonElement element, string property, ReadOnlySpan<byte> actual) =>
        Assert.Equal($"{property}={Str(element, property)}", $"{property}={Convert.ToHexStringLower(actual)}");

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
