using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Vectors;

/// <summary>
/// Checks docs/test-vectors/bundle.json twice: the bundle's bytes assembled by hand from docs/protocol.md section 17
/// (frames, header, seal digest and signed-note seal with bare SHA-256 and Ed25519), and recomputed through the library
/// (<see cref="BundleWriter"/> from the vector's inputs gives the same bytes; <see cref="BundleVerifier"/> accepts them).
/// </summary>
public sealed class BundleVectorTests
{
    private static readonly JsonElement s_v = Load();

    [Fact]
    public void Bundle_AssembledByHandFromTheSpecification_SameBytesAndSealVerifies()
    {
        var bytes = new List<byte>("SDLGBNDL"u8.ToArray());
        void Record(byte type, byte[] body)
        {
            bytes.Add(type);
            bytes.AddRange(U64((ulong)body.Length));
            bytes.AddRange(body);
        }

        Record(0x01, Hex(s_v.GetProperty("header").GetString()!));
        foreach (var card in s_v.GetProperty("device_cards").EnumerateArray())
        {
            Record(0x02, Hex(card.GetString()!));
        }

        foreach (var checkpoint in s_v.GetProperty("checkpoints").EnumerateArray())
        {
            Record(0x04, Encoding.UTF8.GetBytes(checkpoint.GetString()!));
        }

        var attachment = s_v.GetProperty("attachment");
        var index = 0;
        foreach (var entry in s_v.GetProperty("entries").EnumerateArray())
        {
            Record(0x05, Hex(entry.GetString()!));
            if (index++ == attachment.GetProperty("entry").GetInt32())
            {
                Record(0x06, [.. Hex(attachment.GetProperty("blob_id").GetString()!), .. Hex(attachment.GetProperty("ciphertext").GetString()!)]);
            }
        }

        var digest = SHA256.HashData(bytes.ToArray());
        Assert.Equal(s_v.GetProperty("seal_digest").GetString(), Convert.ToHexStringLower(digest));
        var origin = s_v.GetProperty("origin").GetString()!;
        var body = $"securedialogue bundle v1\n{origin}\n{s_v.GetProperty("entries").GetArrayLength()}\n{Convert.ToBase64String(digest)}\n";
        Assert.Equal(s_v.GetProperty("seal_body").GetString(), body);

        var bundle = Hex(s_v.GetProperty("bundle").GetString()!);
        var seal = bundle[^BundleFormat.SealSize..];
        Assert.Equal([.. bytes, 0x7f, .. U64(BundleFormat.SealSize)], bundle[..^BundleFormat.SealSize]);
        Assert.Equal(digest, seal[..32]);

        // The seal line is a signed-note signature by the log key: key ID || Ed25519(body).
        var keyName = "securedialogue-archive";
        var publicKey = LogPublicKey();
        var keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(keyName), 0x0a, 0x01, .. publicKey]).AsSpan(0, 4).ToArray();
        Assert.Equal(keyId, seal[32..36]);
        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(body), seal.AsSpan(36)));
        Assert.Equal(s_v.GetProperty("bundle_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bundle)));
    }

    [Fact]
    public void Header_FieldsAtTheirDocumentedOffsets()
    {
        var header = Hex(s_v.GetProperty("header").GetString()!);
        var review = Guid.Parse(s_v.GetProperty("review").GetString()!);
        var origin = s_v.GetProperty("origin").GetString()!;
        var offset = 0;
        Assert.Equal(1, header[offset++]);
        Assert.Equal(review.ToByteArray(bigEndian: true), header[offset..(offset += 16)]);
        Assert.Equal(origin.Length, header[offset++]);
        Assert.Equal(origin, Encoding.ASCII.GetString(header[offset..(offset += origin.Length)]));
        Assert.Equal(s_v.GetProperty("created_at_ms").GetInt64(), BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(offset)));
        offset += 8;
        Assert.Equal(s_v.GetProperty("attachment_mode").GetInt32(), header[offset++]);
        Assert.Equal((ulong)s_v.GetProperty("entries").GetArrayLength(), BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(offset)));
        offset += 8;
        Assert.Equal(1, header[offset++]);
        Assert.Equal("securedialogue-archive", Encoding.UTF8.GetString(header.AsSpan(offset + 1, header[offset])));
        offset += 1 + header[offset];
        Assert.Equal(LogPublicKey(), header[offset..(offset += 32)]);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(offset)));
        Assert.Equal(ulong.MaxValue, BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(offset + 8)));
        offset += 16;
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(offset)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(offset + 4)));
        Assert.Equal((uint)s_v.GetProperty("checkpoints").GetArrayLength(), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(offset + 8)));
        Assert.Equal(header.Length, offset + 12);
    }

    [Fact]
    public async Task Bundle_RecomputedByTheWriter_SameBytesAndVerifies()
    {
        using var signer = CheckpointSigner.FromSeed(Hex(s_v.GetProperty("log_key_seed").GetString()!));
        var header = BundleHeader.Decode(Hex(s_v.GetProperty("header").GetString()!)).Value!;
        using var output = new MemoryStream();
        var writer = await BundleWriter.CreateAsync(output, header, signer);
        foreach (var card in s_v.GetProperty("device_cards").EnumerateArray())
        {
            await writer.WriteDeviceCardAsync(DevicePublicKeys.Decode(Hex(card.GetString()!)).Value!);
        }

        foreach (var checkpoint in s_v.GetProperty("checkpoints").EnumerateArray())
        {
            await writer.WriteCheckpointAsync(SignedCheckpoint.Parse(checkpoint.GetString()!).Value!);
        }

        var attachment = s_v.GetProperty("attachment");
        foreach (var encoded in s_v.GetProperty("entries").EnumerateArray())
        {
            var entry = ArchiveEntry.Decode(Hex(encoded.GetString()!)).Value!;
            var content = entry.Index == attachment.GetProperty("entry").GetInt64()
                ? new BundleAttachment(Hex(attachment.GetProperty("blob_id").GetString()!), new MemoryStream(Hex(attachment.GetProperty("ciphertext").GetString()!)))
                : null;
            await writer.WriteEntryAsync(entry, content);
        }

        var written = await writer.CompleteAsync();
        var bundle = Hex(s_v.GetProperty("bundle").GetString()!);

        Assert.Equal(bundle, output.ToArray());
        Assert.Equal(s_v.GetProperty("root").GetString(), Convert.ToHexStringLower(written.Root));
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(bundle), new BundleVerifierOptions
        {
            TrustedLogKeys = [ArchiveLogKey.FromVerifierKey(s_v.GetProperty("log_key_verifier_key").GetString()!).Value!],
        });
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(2, verification.Summary!.EnvelopeSignatures);
        Assert.Equal(2, verification.Summary.EpochRecordSignatures);
        Assert.Equal(1, verification.Summary.AttachmentCiphertexts);
        Assert.Equal(1, verification.Summary.Cosigners);
    }

    [Fact]
    public async Task SummaryForm_AssembledByHandWithEnvelopeRecords_SameBytesRecomputedVerifiesAndAChangedEnvelopeByteNamesItsEntry()
    {
        // By hand (section 17.1): the same header and cards, this log's checkpoints, each entry, and after each
        // summary-form Envelope entry an Envelope record (0x07) holding the envelope; then the seal over all of it.
        var v = s_v.GetProperty("summary_form");
        var envelopes = v.GetProperty("envelopes");
        var attachment = s_v.GetProperty("attachment");
        var bytes = new List<byte>("SDLGBNDL"u8.ToArray());
        void Record(byte type, byte[] body)
        {
            bytes.Add(type);
            bytes.AddRange(U64((ulong)body.Length));
            bytes.AddRange(body);
        }

        Record(0x01, Hex(s_v.GetProperty("header").GetString()!));
        foreach (var card in s_v.GetProperty("device_cards").EnumerateArray())
        {
            Record(0x02, Hex(card.GetString()!));
        }

        foreach (var checkpoint in v.GetProperty("checkpoints").EnumerateArray())
        {
            Record(0x04, Encoding.UTF8.GetBytes(checkpoint.GetString()!));
        }

        var index = 0;
        foreach (var encoded in v.GetProperty("entries").EnumerateArray())
        {
            var entry = Hex(encoded.GetString()!);
            Record(0x05, entry);
            if (envelopes.TryGetProperty(index.ToString(System.Globalization.CultureInfo.InvariantCulture), out var beside))
            {
                // The entry's payload is header || BLAKE2b-256("sdlg.ct.hash", ciphertext) || signature of this envelope (7.12).
                var envelope = Vault.Envelopes.Envelope.Decode(Hex(beside.GetString()!)).Value!;
                var summary = Vault.Envelopes.EnvelopeSummary.Of(envelope).Encode();
                Assert.Equal(summary, ArchiveEntry.Decode(entry).Value!.Payload.ToArray());
                var hash = new byte[32];
                Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, envelope.Ciphertext.Span, hash);
                Assert.Equal([.. envelope.HeaderBytes.ToArray(), .. hash, .. envelope.Signature.ToArray()], summary);
                Record(0x07, Hex(beside.GetString()!));
            }

            if (index++ == attachment.GetProperty("entry").GetInt32())
            {
                Record(0x06, [.. Hex(attachment.GetProperty("blob_id").GetString()!), .. Hex(attachment.GetProperty("ciphertext").GetString()!)]);
            }
        }

        var digest = SHA256.HashData(bytes.ToArray());
        Assert.Equal(v.GetProperty("seal_digest").GetString(), Convert.ToHexStringLower(digest));
        var body = $"securedialogue bundle v1\n{s_v.GetProperty("origin").GetString()}\n{v.GetProperty("entries").GetArrayLength()}\n{Convert.ToBase64String(digest)}\n";
        Assert.Equal(v.GetProperty("seal_body").GetString(), body);
        var bundle = Hex(v.GetProperty("bundle").GetString()!);
        Assert.Equal([.. bytes, 0x7f, .. U64(BundleFormat.SealSize)], bundle[..^BundleFormat.SealSize]);
        Assert.True(Ed25519.Verify(LogPublicKey(), Encoding.UTF8.GetBytes(body), bundle.AsSpan(bundle.Length - 64)));

        // Through the library: the writer gives the same bytes, the verifier accepts them.
        using var signer = CheckpointSigner.FromSeed(Hex(s_v.GetProperty("log_key_seed").GetString()!));
        using var output = new MemoryStream();
        var writer = await BundleWriter.CreateAsync(output, BundleHeader.Decode(Hex(s_v.GetProperty("header").GetString()!)).Value!, signer);
        foreach (var card in s_v.GetProperty("device_cards").EnumerateArray())
        {
            await writer.WriteDeviceCardAsync(DevicePublicKeys.Decode(Hex(card.GetString()!)).Value!);
        }

        foreach (var checkpoint in v.GetProperty("checkpoints").EnumerateArray())
        {
            await writer.WriteCheckpointAsync(SignedCheckpoint.Parse(checkpoint.GetString()!).Value!);
        }

        foreach (var encoded in v.GetProperty("entries").EnumerateArray())
        {
            var entry = ArchiveEntry.Decode(Hex(encoded.GetString()!)).Value!;
            if (envelopes.TryGetProperty(entry.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), out var beside))
            {
                Assert.Throws<ArgumentException>(() => writer.WriteEntryAsync(entry).GetAwaiter().GetResult());
                await writer.WriteEnvelopeEntryAsync(entry, Vault.Envelopes.Envelope.Decode(Hex(beside.GetString()!)).Value!);
            }
            else
            {
                await writer.WriteEntryAsync(entry, entry.Index == attachment.GetProperty("entry").GetInt64()
                    ? new BundleAttachment(Hex(attachment.GetProperty("blob_id").GetString()!), new MemoryStream(Hex(attachment.GetProperty("ciphertext").GetString()!)))
                    : null);
            }
        }

        var written = await writer.CompleteAsync();
        Assert.Equal(bundle, output.ToArray());
        Assert.Equal(v.GetProperty("root").GetString(), Convert.ToHexStringLower(written.Root));
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(bundle));
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(2, verification.Summary!.EnvelopeSignatures);
        Assert.Equal(2, verification.Summary.EnvelopesBeside);

        // One changed byte of the second envelope (its ciphertext) fails as EnvelopeMismatch at entry 4; without the
        // envelope record the bundle fails there too.
        var second = Hex(envelopes.GetProperty("4").GetString()!);
        var at = bundle.AsSpan().IndexOf(second);
        var tampered = (byte[])bundle.Clone();
        tampered[at + second.Length - 80] ^= 0x01;
        var failure = (await BundleVerifier.VerifyAsync(new MemoryStream(tampered))).Failure!;
        Assert.Equal((BundleFailureReason.EnvelopeMismatch, 4L), (failure.Reason, failure.EntryIndex));
        var withoutRecord = bundle[..(at - BundleFormat.FrameSize)].Concat(bundle[(at + second.Length)..]).ToArray();
        failure = (await BundleVerifier.VerifyAsync(new MemoryStream(withoutRecord))).Failure!;
        Assert.Equal((BundleFailureReason.EnvelopeMismatch, 4L), (failure.Reason, failure.EntryIndex));
    }

    private static byte[] LogPublicKey()
    {
        var verifierKey = s_v.GetProperty("log_key_verifier_key").GetString()!;
        return Convert.FromBase64String(verifierKey.Split('+', 3)[2])[1..];
    }

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", "bundle.json")));
        return document.RootElement.Clone();
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
