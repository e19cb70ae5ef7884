using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Vault.Tests.Vectors;

/// <summary>
/// Checks docs/test-vectors/publications.json twice: step by step from docs/protocol.md section 18 (own parser, own
/// RFC 9162 inclusion check, bare SHA-256, BLAKE2b and Ed25519), and through the library (verifier, builder). Shares
/// no code with tools/TestVectors.
/// </summary>
public sealed class PublicationVectorTests
{
    private static readonly JsonElement s_v = Load();
    private static readonly byte[] s_envelopeContext = [.. "SecureDialogue/envelope/v1"u8, 0];
    private static readonly byte[] s_publicationContext = [.. "SecureDialogue/publication/v1"u8, 0];

    public static TheoryData<string> VariantNames => [.. s_v.GetProperty("variants").EnumerateArray().Select(v => Str(v, "name"))];

    [Fact]
    public void Record_ParsedByTheDocumentedLayout_EveryCheckHoldsStepByStep()
    {
        // Arrange
        var record = Hex(s_v, "record");
        var inputs = s_v.GetProperty("inputs");
        var mid = s_v.GetProperty("intermediates");
        var envelope = Hex(inputs, "envelope");
        var review = Guid.Parse(Str(s_v, "review"));
        var p = 0;
        byte[] Take(int n) => record.AsSpan((p += n) - n, n).ToArray();
        ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
        ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

        // Act: section 18.2, field by field.
        Assert.Equal([1, 1], Take(2));
        Assert.Equal(inputs.GetProperty("audience").GetByte(), Take(1)[0]);
        Assert.Equal(inputs.GetProperty("published_at_ms").GetInt64(), (long)U64());
        Assert.Equal(Str(inputs, "author_state"), Encoding.ASCII.GetString(Take(3)));
        Assert.Equal(Str(inputs, "publisher_state"), Encoding.ASCII.GetString(Take(3)));
        var authorCard = Take(130);
        Assert.Equal(0, Take(1)[0]);
        var summary = Take(U16());
        AssertHex(mid, "envelope_summary", summary);

        // The summary is the envelope's header, the BLAKE2b-256 of its ciphertext, and its signature (7.12).
        var c = envelope[18];
        var l = envelope[64 + c];
        var headerLength = 135 + c + l;
        var header = envelope[..headerLength];
        var ciphertextLength = (int)BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(headerLength));
        var ciphertext = envelope.AsSpan(headerLength + 4, ciphertextLength);
        var ciphertextHash = new byte[32];
        Blake2b.Hash(Personal("sdlg.ct.hash"), ciphertext, ciphertextHash);
        Assert.Equal([.. header, .. ciphertextHash, .. envelope[^64..]], summary);
        Assert.True(Ed25519.Verify(authorCard.AsSpan(2, 32), [.. s_envelopeContext, .. header, .. ciphertextHash], summary.AsSpan(^64)));
        var deviceId = new byte[16];
        Blake2b.Hash(Personal("sdlg.device.id"), authorCard.AsSpan(2, 64), deviceId);
        Assert.Equal(header.AsSpan(23 + c, 16).ToArray(), deviceId);

        // Commitments recompute to the header's root (offset 79 + C + L).
        var n = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(77 + c + l));
        var commitments = Enumerable.Range(0, n).Select(_ => Take(32)).ToList();
        Assert.Equal(header.AsSpan(79 + c + l, 32).ToArray(), Mth(commitments));
        var saltKey = Hex(inputs, "salt_key");
        var disclosedIndices = new List<int>();
        var count = U16();
        byte[]? manifest = null;
        for (var i = 0; i < count; i++)
        {
            var index = U16();
            var kind = Take(1)[0];
            var salt = Take(32);
            var content = Take((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)));
            var expectedSalt = new byte[32];
            Blake2b.KeyedHash(saltKey, Personal("sdlg.seg.salt"), [(byte)(index >> 8), (byte)index], expectedSalt);
            Assert.Equal(expectedSalt, salt);
            byte[] leafData = [(byte)(index >> 8), (byte)index, kind, .. salt, .. U32Bytes((uint)content.Length), .. content];
            Assert.Equal(commitments[index], SHA256.HashData([0x00, .. leafData]));
            disclosedIndices.Add(index);
            if (kind == 3)
            {
                manifest = content;
            }
        }

        var publisherCard = Take(130);
        Assert.Equal(0, Take(1)[0]);
        var signedPart = record[..p];
        AssertHex(mid, "signed_part", signedPart);
        Assert.True(Ed25519.Verify(publisherCard.AsSpan(2, 32), [.. s_publicationContext, .. signedPart], Take(64)));

        // Archive: the entry recomputed from the summary (16.2), its inclusion in the signed checkpoint.
        var entryIndex = (long)U64();
        var receivedAt = (long)U64();
        Assert.Equal(1, Take(1)[0]);
        var proof = Enumerable.Range(0, Take(1)[0]).Select(_ => Take(32)).ToList();
        var checkpoint = Encoding.UTF8.GetString(Take(U16()));
        var cosigners = Enumerable.Range(0, Take(1)[0]).Select(_ => Take(130)).ToList();
        byte[] entry = [0x01, .. review.ToByteArray(bigEndian: true), .. U64Bytes((ulong)entryIndex), 0x01, .. U64Bytes((ulong)receivedAt), 0x00, .. U32Bytes((uint)summary.Length), .. summary];
        AssertHex(mid, "archive_entry", entry);
        var lines = checkpoint.Split('\n');
        Assert.Equal(ArchiveOrigin.ReviewPrefix + review.ToString("D"), lines[0]);
        var treeSize = long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture);
        var root = Convert.FromBase64String(lines[2]);
        Assert.True(Inclusion(SHA256.HashData([0x00, .. entry]), entryIndex, treeSize, proof, root));
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines[..3]) + "\n");
        var logKey = Convert.FromBase64String(Str(inputs, "log_verifier_key").Split('+', 3)[2])[1..];
        var logLine = Convert.FromBase64String(lines[4].Split(' ')[2]);
        Assert.True(Ed25519.Verify(logKey, body, logLine.AsSpan(4)));
        Assert.Equal(Hex(DeviceIdentityCard("alice")), Hex(Assert.Single(cosigners)));

        // Documents: the bytes hash to the manifest's plaintext hash (15.3, 15.4).
        Assert.Equal(1, U16());
        Assert.Equal(inputs.GetProperty("document_segment").GetInt32(), U16());
        var document = Take((int)U64());
        Assert.Equal(p, record.Length);
        Assert.Equal(Hex(inputs, "document"), document);
        var hash = new byte[32];
        Blake2b.Hash(Personal("sdlg.att.plain"), document, hash);
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(manifest.AsSpan(2));
        var typeLength = manifest![4 + nameLength];
        Assert.Equal(hash, manifest.AsSpan(13 + nameLength + typeLength, 32).ToArray());
        Assert.Equal((ulong)document.Length, BinaryPrimitives.ReadUInt64BigEndian(manifest.AsSpan(5 + nameLength + typeLength)));

        // Assert: the withheld segment's content and salt are nowhere in the record.
        Assert.Equal([0, 2, 3], disclosedIndices);
        var withheldSalt = new byte[32];
        Blake2b.KeyedHash(saltKey, Personal("sdlg.seg.salt"), [0, 1], withheldSalt);
        Assert.True(record.AsSpan().IndexOf(withheldSalt) < 0);
        Assert.True(record.AsSpan().IndexOf(saltKey) < 0);
    }

    [Fact]
    public void Record_ThroughTheLibrary_ValidAndRebuiltByteForByte()
    {
        // Arrange
        var inputs = s_v.GetProperty("inputs");
        var record = Hex(s_v, "record");
        var envelope = Envelope.Decode(Hex(inputs, "envelope")).Value!;
        using var bob = Identity("bob");
        using var alice = Identity("alice");
        var segments = Segments();
        var opened = new OpenedEnvelope(envelope, bob.PublicKeys, segments, Hex(inputs, "salt_key"));
        var checkpoint = SignedCheckpoint.Parse(s_v.GetProperty("intermediates").GetProperty("checkpoint").GetString()!).Value!;
        var entries = inputs.GetProperty("archive_entries").EnumerateArray().Select(e => ArchiveEntry.Decode(Convert.FromHexString(e.GetString()!)).Value!).ToList();
        var proof = s_v.GetProperty("intermediates").GetProperty("inclusion_proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();

        // Act
        var builder = new PublicationBuilder(opened)
        {
            Audience = (PublicationAudience)inputs.GetProperty("audience").GetByte(),
            AuthorState = StateCode.Parse(Str(inputs, "author_state")),
            PublisherState = StateCode.Parse(Str(inputs, "publisher_state")),
        }.WithArchive(1, entries[1].ReceivedAt, proof, checkpoint, [alice.PublicKeys]).AddDocument(3, Hex(inputs, "document"));
        foreach (var index in inputs.GetProperty("disclosed").EnumerateArray())
        {
            builder.Disclose(index.GetInt32());
        }

        var rebuilt = builder.Build(alice, DateTimeOffset.FromUnixTimeMilliseconds(inputs.GetProperty("published_at_ms").GetInt64()));
        var result = PublicationVerifier.Verify(record, Trust());

        // Assert
        Assert.Equal(record, rebuilt.Encoded.ToArray());
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal([1], result.Record!.Withheld);
        Assert.Equal(Hex(s_v.GetProperty("intermediates"), "archive_entry"), entries[1].Encode());
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Variant_Verified_GivesExactlyTheListedProblems(string name)
    {
        // Arrange
        var v = s_v.GetProperty("variants").EnumerateArray().Single(x => Str(x, "name") == name);
        var expected = v.GetProperty("problems").EnumerateArray().Select(x => new PublicationProblem(
            Enum.Parse<PublicationFailure>(Str(x, "failure")),
            x.GetProperty("segment").ValueKind == JsonValueKind.Number ? x.GetProperty("segment").GetInt32() : null,
            x.GetProperty("other_segment").ValueKind == JsonValueKind.Number ? x.GetProperty("other_segment").GetInt32() : null)).ToList();

        // Act
        var result = PublicationVerifier.Verify(Hex(v, "record"), Trust() with { MinimumCosignatures = v.GetProperty("required_cosignatures").GetInt32() });

        // Assert
        Assert.NotEmpty(expected);
        Assert.Equal(expected, result.Problems);
    }

    [Fact]
    public void WholeEnvelopeRecord_EntryIsTheEnvelopeAndTheRecordCarriesItsCiphertext()
    {
        // Arrange
        var whole = s_v.GetProperty("whole_envelope");
        var inputs = s_v.GetProperty("inputs");
        var envelope = Hex(inputs, "envelope");
        var entry = ArchiveEntry.Decode(Hex(whole, "archive_entry")).Value!;
        var record = Hex(whole, "record");

        // Act
        var result = PublicationVerifier.Verify(record, Trust() with { MinimumCosignatures = 0 });

        // Assert: the entry's payload is the whole envelope (16.2), and the record's ciphertext is the envelope's.
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(ArchiveEntryKind.Envelope, entry.Kind);
        Assert.Equal(envelope, entry.Payload.ToArray());
        Assert.Equal(EnvelopeEntryForm.WholeEnvelope, result.Record!.Archive.Form);
        Assert.Equal(Envelope.Decode(envelope).Value!.Ciphertext.ToArray(), result.Record.Archive.Ciphertext.ToArray());
        Assert.True(record.AsSpan().IndexOf("Oui"u8) < 0);
    }

    // ---------------------------------------------------------------- helpers (independent of tools/TestVectors)

    private static PublicationTrust Trust()
    {
        var inputs = s_v.GetProperty("inputs");
        var log = ArchiveLogKey.FromVerifierKey(Str(inputs, "log_verifier_key")).Value!;
        var cosigner = CosignerKey.FromVerifierKey(Str(inputs, "cosigner_verifier_key")).Value!;
        return new PublicationTrust(new ArchiveKeyRing([log], [cosigner])) { MinimumCosignatures = 1 };
    }

    private static List<Segment> Segments()
    {
        // The segments as the author wrote them: the vector's disclosed contents and the withheld answer its description names.
        var mid = s_v.GetProperty("intermediates").GetProperty("disclosed").EnumerateArray().ToList();
        Segment Of(int index) => mid.Single(d => d.GetProperty("index").GetInt32() == index) is var d
            ? Segment.TryCreate(d.GetProperty("kind").GetByte(), Hex(d, "content"))!
            : throw new InvalidOperationException();
        return [Of(0), Segment.Text("Oui"), Of(2), Of(3)];
    }

    private static byte[] DeviceIdentityCard(string name)
    {
        using var identity = Identity(name);
        return identity.PublicKeys.Encode();
    }

    private static DeviceIdentity Identity(string name)
    {
        var device = LoadFile("devices.json").GetProperty("devices").EnumerateArray().Single(d => Str(d, "name") == name);
        return DeviceIdentity.FromSeeds(Hex(device, "signing_seed"), Hex(device, "agreement_secret"));
    }

    private static byte[] Mth(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Mth([.. leaves.Take(k)]), .. Mth([.. leaves.Skip(k)])]);
    }

    /// <summary>RFC 9162 section 2.1.3.2, written out again.</summary>
    private static bool Inclusion(byte[] leaf, long index, long size, List<byte[]> proof, byte[] root)
    {
        if (index >= size)
        {
            return false;
        }

        long fn = index, sn = size - 1;
        var r = leaf;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = SHA256.HashData([0x01, .. p, .. r]);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = SHA256.HashData([0x01, .. r, .. p]);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    private static byte[] Personal(string ascii)
    {
        var bytes = new byte[16];
        Encoding.ASCII.GetBytes(ascii, bytes);
        return bytes;
    }

    private static byte[] U32Bytes(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U64Bytes(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static JsonElement Load() => LoadFile("publications.json");

    private static JsonElement LoadFile(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", file)));
        return document.RootElement.Clone();
    }

    private static string Str(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static byte[] Hex(JsonElement element, string property) => Convert.FromHexString(Str(element, property));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static void AssertHex(JsonElement element, string property, ReadOnlySpan<byte> actual) =>
        Assert.Equal(Str(element, property), Convert.ToHexStringLower(actual));
}
