using System.Security.Cryptography;
using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Tests.Archive;

/// <summary>
/// Checkpoints as C2SP signed notes: exact text format, interoperability with the Go sumdb/note and
/// tlog-cosignature vectors, strict bounded parsing, and who must have signed (security bar 16).
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly DateTimeOffset s_time = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly string s_origin = ArchiveOrigin.ForReview(ArchiveServerDouble.Review);
    private static readonly byte[] s_root = MerkleTree.Root([.. Enumerable.Range(0, 5).Select(i => MerkleHash.Leaf([(byte)i]))]);

    private readonly CheckpointSigner _signer = ArchiveServerDouble.FixedSigner();
    private readonly CheckpointSigner _foreign = ArchiveServerDouble.FixedSigner(0x10);

    public void Dispose()
    {
        _signer.Dispose();
        _foreign.Dispose();
    }

    [Fact]
    public void Sign_TextIsBodyBlankLineAndTwoEmDashLines()
    {
        var checkpoint = _signer.Sign(s_origin, 5, s_root, s_time);
        var text = checkpoint.Text;
        var lines = text.Split('\n');

        Assert.Equal($"{s_origin}\n5\n{Convert.ToBase64String(s_root)}\n", checkpoint.Body);
        Assert.StartsWith(checkpoint.Body + "\n", text, StringComparison.Ordinal);
        Assert.Equal(7, lines.Length);
        Assert.Equal(string.Empty, lines[3]);
        Assert.Equal(string.Empty, lines[6]);
        Assert.StartsWith("\u2014 securedialogue-archive ", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("\u2014 securedialogue-archive ", lines[5], StringComparison.Ordinal);
        var bytes = checkpoint.Encode();
        var dash = Encoding.UTF8.GetBytes(checkpoint.Body + "\n").Length;
        Assert.Equal(new byte[] { 0xe2, 0x80, 0x94, 0x20 }, bytes[dash..(dash + 4)]);

        // Line 1: key ID || 64-byte signature (68 bytes); line 2: key ID || u64 time || signature (76 bytes).
        var note = Convert.FromBase64String(lines[4].Split(' ')[2]);
        var stamp = Convert.FromBase64String(lines[5].Split(' ')[2]);
        Assert.Equal(68, note.Length);
        Assert.Equal(76, stamp.Length);
        Assert.Equal(KeyId("securedialogue-archive", 0x01, _signer.PublicKey), note[..4]);
        Assert.Equal(KeyId("securedialogue-archive", 0x04, _signer.PublicKey), stamp[..4]);
        Assert.Equal((ulong)s_time.ToUnixTimeSeconds(), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(stamp.AsSpan(4)));
    }

    [Fact]
    public void ParseAndVerify_SignedCheckpoint_RoundTripsByteForByte()
    {
        var signed = _signer.Sign(s_origin, 5, s_root, s_time);
        var bytes = signed.Encode();

        var parsed = SignedCheckpoint.Parse(bytes);
        Assert.True(parsed.IsSuccess);
        Assert.Equal(bytes, parsed.Value.Encode());
        var verified = parsed.Value.Verify(new ArchiveKeyRing([_signer.LogKey()]), s_origin);

        Assert.True(verified.IsSuccess, verified.ToString());
        Assert.Equal(5, verified.Value.TreeSize);
        Assert.Equal(s_root, verified.Value.RootHash.ToArray());
        Assert.Equal(s_time, verified.Value.Time);
        Assert.Empty(verified.Value.Cosignatures);
    }

    [Fact]
    public void GoSumdbNoteVector_KeyIdVerifierKeyAndSignatureMatch()
    {
        // golang.org/x/mod/sumdb/note: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz".
        var seed = Convert.FromBase64String("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1..];
        using var signer = CheckpointSigner.FromSeed(seed, "PeterNeumann");
        const string text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";

        Assert.Equal(0xc74f20a3u, signer.NoteKeyId);
        Assert.Equal("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", signer.LogKey().VerifierKey);
        Assert.Equal(
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            signer.SignText(text).Line);
        Assert.True(ArchiveLogKey.FromVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").IsSuccess);
    }

    [Fact]
    public void RealWitnessedCheckpoint_LogSignatureAndTlogCosignatureVerify()
    {
        // A Static CT log checkpoint with a type 0x05 line (unknown here, ignored), the log's Ed25519 line and
        // four witnesses' tlog-cosignature/v1 lines, one of which (remora.n621.de) this test trusts.
        const string text =
            "arche2025h1.staging.ct.transparency.dev\n1432088532\nU7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n\n" +
            "\u2014 arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n" +
            "\u2014 arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n" +
            "\u2014 transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n" +
            "\u2014 witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n" +
            "\u2014 remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n" +
            "\u2014 witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";
        var log = ArchiveLogKey.FromVerifierKey("arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f").Value!;
        var witness = CosignerKey.FromVerifierKey("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2").Value!;
        var origin = "arche2025h1.staging.ct.transparency.dev";

        var parsed = SignedCheckpoint.Parse(text);
        Assert.True(parsed.IsSuccess);
        Assert.Equal(text, parsed.Value.Text);
        Assert.Equal(1432088532, parsed.Value.TreeSize);

        // Every known line verified (else BadSignature); the log has no timestamp line of our kind, so the only
        // thing missing is the log's signed time.
        Assert.Equal(CheckpointError.NoTimestamp, parsed.Value.Verify(new ArchiveKeyRing([log], [witness]), origin).Error);
        var tampered = SignedCheckpoint.Parse(text.Replace("1432088532", "1432088533", StringComparison.Ordinal)).Value!;
        Assert.Equal(CheckpointError.BadSignature, tampered.Verify(new ArchiveKeyRing([log]), origin).Error);
        Assert.Equal(CheckpointError.BadSignature, tampered.Verify(new ArchiveKeyRing([_signer.LogKey()], [witness]), origin).Error);
        Assert.Equal(CheckpointError.NotSigned, parsed.Value.Verify(new ArchiveKeyRing([_signer.LogKey()]), origin).Error);
    }

    [Fact]
    public void EveryByteFlipped_RejectedByParseOrVerify()
    {
        var signed = _signer.Sign(s_origin, 5, s_root, s_time).Encode();
        var keys = new ArchiveKeyRing([_signer.LogKey()]);
        var accepted = new List<string>();

        for (var i = 0; i < signed.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x02, 0x20, 0x80, 0xff })
            {
                var copy = (byte[])signed.Clone();
                copy[i] ^= mask;
                var parsed = SignedCheckpoint.Parse(copy);
                if (parsed.IsSuccess && parsed.Value.Verify(keys, s_origin).IsSuccess)
                {
                    accepted.Add($"{i}^{mask:x2}");
                }
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void ForeignKeyWithTheSameName_NotSigned()
    {
        var forged = _foreign.Sign(s_origin, 5, s_root, s_time);

        Assert.Equal(CheckpointError.NotSigned, forged.Verify(new ArchiveKeyRing([_signer.LogKey()]), s_origin).Error);
    }

    [Fact]
    public void LogSignatureWithoutTimestamp_NoTimestamp()
    {
        var bare = SignedCheckpoint.Parse(SignedCheckpoint.FormatBody(s_origin, 5, s_root) + "\n" + _signer.SignText(SignedCheckpoint.FormatBody(s_origin, 5, s_root)).Line).Value!;

        Assert.Equal(CheckpointError.NoTimestamp, bare.Verify(new ArchiveKeyRing([_signer.LogKey()]), s_origin).Error);
    }

    [Fact]
    public void AnotherReviewsCheckpoint_WrongOrigin()
    {
        var other = _signer.Sign(ArchiveOrigin.ForReview(Guid.Parse("00000000-0000-4000-8000-000000000001")), 5, s_root, s_time);

        Assert.Equal(CheckpointError.WrongOrigin, other.Verify(new ArchiveKeyRing([_signer.LogKey()]), s_origin).Error);
    }

    [Fact]
    public void KnownKeyWithBadSignature_RejectsWholeNoteEvenIfAnotherVerifies()
    {
        var text = _signer.Sign(s_origin, 5, s_root, s_time).Text;
        var forgedLine = _foreign.SignText(SignedCheckpoint.FormatBody(s_origin, 5, s_root)).Line;

        // The foreign signature under our key's name and key ID: a known key whose line does not verify.
        var payload = Convert.FromBase64String(forgedLine.Split(' ')[2].TrimEnd('\n'));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload, _signer.NoteKeyId);
        var swapped = text.Split('\n');
        swapped[4] = $"\u2014 securedialogue-archive {Convert.ToBase64String(payload)}";
        var result = SignedCheckpoint.Parse(string.Join('\n', swapped)).Value!.Verify(new ArchiveKeyRing([_signer.LogKey(), _foreign.LogKey()]), s_origin);

        Assert.Equal(CheckpointError.BadSignature, result.Error);
    }

    [Fact]
    public void KeyRotation_OldCheckpointsKeepVerifyingAndRetiredKeyCannotSignBeyondItsRange()
    {
        using var next = ArchiveServerDouble.FixedSigner(0x40);
        var ring = new ArchiveKeyRing([_signer.LogKey(0, 100), next.LogKey(100)]);

        Assert.True(_signer.Sign(s_origin, 50, s_root, s_time).Verify(ring, s_origin).IsSuccess);
        Assert.True(_signer.Sign(s_origin, 100, s_root, s_time).Verify(ring, s_origin).IsSuccess);
        Assert.True(next.Sign(s_origin, 100, s_root, s_time).Verify(ring, s_origin).IsSuccess);
        Assert.True(next.AddSignatures(_signer.Sign(s_origin, 100, s_root, s_time), s_time).Verify(ring, s_origin).IsSuccess);
        Assert.True(next.Sign(s_origin, 150, s_root, s_time).Verify(ring, s_origin).IsSuccess);
        Assert.Equal(CheckpointError.NotSigned, _signer.Sign(s_origin, 101, s_root, s_time).Verify(ring, s_origin).Error);
        Assert.Equal(CheckpointError.NotSigned, next.Sign(s_origin, 99, s_root, s_time).Verify(ring, s_origin).Error);
    }

    [Fact]
    public void KeyRing_Rotate_ClosesOldAndOpensNew()
    {
        using var next = ArchiveServerDouble.FixedSigner(0x40);
        var ring = new ArchiveKeyRing([_signer.LogKey()]);
        var rotated = ring.Rotate(ring.LogKeys[0], next.LogKey(), 100);

        Assert.Equal(100, rotated.LogKeys[0].LastTreeSize);
        Assert.Equal(100, rotated.LogKeys[1].FirstTreeSize);
        Assert.Null(rotated.LogKeys[1].LastTreeSize);
    }

    [Fact]
    public void Cosignature_ByKnownDevice_VerifiesAndTamperedCosignatureRejectsNote()
    {
        using var focal = DeviceIdentity.Create();
        var time = ArchiveServerDouble.NewTime();
        var view = new LogView(ArchiveServerDouble.Review, new ArchiveKeyRing([_signer.LogKey()]), time);
        Assert.True(view.Update(_signer.Sign(s_origin, 5, s_root, time.GetUtcNow()), []).IsSuccess);
        var cosigned = view.Cosign(focal).Value!;
        var cosigner = CosignerKey.ForDevice(focal.PublicKeys);
        var keys = new ArchiveKeyRing([_signer.LogKey()], [cosigner]);

        var verified = cosigned.Verify(keys, s_origin).Value!;
        Assert.Equal(focal.Id, Assert.Single(verified.Cosignatures).Cosigner.Device);
        Assert.Equal($"securedialogue.invalid/device/{focal.Id}", cosigner.Name);

        var text = cosigned.Text.Split('\n');
        var last = text[^2];
        var flipped = last[..^6] + (last[^6] == 'A' ? 'B' : 'A') + last[^5..];
        text[^2] = flipped;
        var tampered = SignedCheckpoint.Parse(string.Join('\n', text));
        Assert.True(tampered.IsSuccess);
        Assert.Equal(CheckpointError.BadSignature, tampered.Value.Verify(keys, s_origin).Error);

        // A client that does not know the cosigner ignores the line, as signed-note requires.
        Assert.True(tampered.Value.Verify(new ArchiveKeyRing([_signer.LogKey()]), s_origin).IsSuccess);
    }

    [Fact]
    public void VerifierKeys_RoundTripAndRejectManglings()
    {
        var key = _signer.LogKey();
        var vkey = key.VerifierKey;

        Assert.Equal(key.PublicKey.ToArray(), ArchiveLogKey.FromVerifierKey(vkey).Value!.PublicKey.ToArray());
        Assert.False(ArchiveLogKey.FromVerifierKey(vkey.ToUpperInvariant()).IsSuccess);
        Assert.False(ArchiveLogKey.FromVerifierKey(vkey.Replace("securedialogue-archive", "securedialogue-archivf", StringComparison.Ordinal)).IsSuccess);
        Assert.False(ArchiveLogKey.FromVerifierKey(vkey + "A").IsSuccess);
        Assert.False(CosignerKey.FromVerifierKey(vkey).IsSuccess);
        for (var i = 0; i < vkey.Length; i++)
        {
            var mangled = vkey[..i] + (vkey[i] == 'x' ? 'y' : 'x') + vkey[(i + 1)..];
            Assert.False(ArchiveLogKey.FromVerifierKey(mangled).IsSuccess, mangled);
        }
    }

    [Theory]
    [InlineData("extension line", "{origin}\n5\n{root}\nextension\n\n{sig}")]
    [InlineData("leading zero", "{origin}\n05\n{root}\n\n{sig}")]
    [InlineData("plus sign", "{origin}\n+5\n{root}\n\n{sig}")]
    [InlineData("negative", "{origin}\n-5\n{root}\n\n{sig}")]
    [InlineData("too big", "{origin}\n9223372036854775808\n{root}\n\n{sig}")]
    [InlineData("empty size", "{origin}\n\n{root}\n\n{sig}")]
    [InlineData("root without padding", "{origin}\n5\n{rootNoPad}\n\n{sig}")]
    [InlineData("root with space", "{origin}\n5\n {root}\n\n{sig}")]
    [InlineData("no blank line", "{origin}\n5\n{root}\n{sig}")]
    [InlineData("no signatures", "{origin}\n5\n{root}\n\n")]
    [InlineData("no final newline", "{origin}\n5\n{root}\n\n{sigNoNewline}")]
    [InlineData("hyphens for the dash", "{origin}\n5\n{root}\n\n-- {sigName}")]
    [InlineData("en dash", "{origin}\n5\n{root}\n\n\u2013 {sigName}")]
    [InlineData("two spaces", "{origin}\n5\n{root}\n\n\u2014  {sigName}")]
    [InlineData("CRLF", "{origin}\r\n5\n{root}\n\n{sig}")]
    [InlineData("tab", "{origin}\t\n5\n{root}\n\n{sig}")]
    [InlineData("origin with space", "a b\n5\n{root}\n\n{sig}")]
    [InlineData("empty origin", "\n5\n{root}\n\n{sig}")]
    [InlineData("duplicate line", "{origin}\n5\n{root}\n\n{sig}{sig}")]
    [InlineData("name with plus", "{origin}\n5\n{root}\n\n\u2014 a+b AAAAAAA=\n")]
    [InlineData("name with nbsp", "{origin}\n5\n{root}\n\n\u2014 a\u00a0b AAAAAAA=\n")]
    [InlineData("short signature", "{origin}\n5\n{root}\n\n\u2014 ab AAAA\n")]
    [InlineData("non-canonical base64", "{origin}\n5\n{root}\n\n\u2014 ab AAAAAAB=\n")]
    [InlineData("trailing text", "{origin}\n5\n{root}\n\n{sig}x")]
    public void Parse_NonCanonicalOrMalformed_Malformed(string name, string template)
    {
        var body = SignedCheckpoint.FormatBody(s_origin, 5, s_root);
        var sig = _signer.SignText(body).Line;
        var text = template
            .Replace("{origin}", s_origin, StringComparison.Ordinal)
            .Replace("{rootNoPad}", Convert.ToBase64String(s_root).TrimEnd('='), StringComparison.Ordinal)
            .Replace("{root}", Convert.ToBase64String(s_root), StringComparison.Ordinal)
            .Replace("{sigNoNewline}", sig.TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("{sigName}", sig[2..], StringComparison.Ordinal)
            .Replace("{sig}", sig, StringComparison.Ordinal);

        Assert.True(SignedCheckpoint.Parse(text).Error == CheckpointError.Malformed, name);
    }

    [Fact]
    public void Parse_InvalidUtf8AndLoneSurrogate_Malformed()
    {
        var bytes = _signer.Sign(s_origin, 5, s_root, s_time).Encode();
        Assert.Equal(CheckpointError.Malformed, SignedCheckpoint.Parse([.. bytes[..10], 0xc0, 0x80, .. bytes[10..]]).Error);
        Assert.Equal(CheckpointError.Malformed, SignedCheckpoint.Parse([.. bytes[..10], 0xed, 0xa0, 0x80, .. bytes[10..]]).Error);
        Assert.Equal(CheckpointError.Malformed, SignedCheckpoint.Parse([0xef, 0xbb, 0xbf, .. bytes]).Error);
        Assert.Equal(CheckpointError.Malformed, SignedCheckpoint.Parse("\ud800" + Encoding.UTF8.GetString(bytes)).Error);
        Assert.Equal(CheckpointError.Malformed, SignedCheckpoint.Parse(ReadOnlySpan<byte>.Empty).Error);
    }

    [Fact]
    public void Parse_Bounds_TooLargeAndTooManySignatures()
    {
        var body = SignedCheckpoint.FormatBody(s_origin, 5, s_root);
        var many = string.Concat(Enumerable.Range(0, SignedCheckpoint.MaxSignatures + 1).Select(i => $"\u2014 w{i} AAAAAAA=\n"));
        var exactly = string.Concat(Enumerable.Range(0, SignedCheckpoint.MaxSignatures).Select(i => $"\u2014 w{i} AAAAAAA=\n"));

        Assert.Equal(CheckpointError.TooManySignatures, SignedCheckpoint.Parse(body + "\n" + many).Error);
        Assert.True(SignedCheckpoint.Parse(body + "\n" + exactly).IsSuccess);
        Assert.Equal(CheckpointError.TooLarge, SignedCheckpoint.Parse(new byte[SignedCheckpoint.MaxEncodedSize + 1]).Error);
        Assert.Equal(CheckpointError.TooLarge, SignedCheckpoint.Parse(new string('a', SignedCheckpoint.MaxEncodedSize + 1)).Error);
    }

    [Fact]
    public void Parse_SizeZeroAndMaxSize_Accepted()
    {
        var empty = _signer.Sign(s_origin, 0, MerkleHash.EmptyRoot(), s_time);
        var max = _signer.Sign(s_origin, long.MaxValue, s_root, s_time);

        Assert.Equal(0, SignedCheckpoint.Parse(empty.Encode()).Value!.TreeSize);
        Assert.Equal(long.MaxValue, SignedCheckpoint.Parse(max.Encode()).Value!.TreeSize);
        Assert.Contains("\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", empty.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Origin_ForReview_IsLowerCaseUuidAndParsesBack()
    {
        var review = Guid.Parse("8B2F6C1E-4A5D-4E7F-9C3B-2D1E0F6A7B8C");

        Assert.Equal("securedialogue.invalid/review/8b2f6c1e-4a5d-4e7f-9c3b-2d1e0f6a7b8c", ArchiveOrigin.ForReview(review));
        Assert.True(ArchiveOrigin.TryParseReview(ArchiveOrigin.ForReview(review), out var back));
        Assert.Equal(review, back);
        Assert.False(ArchiveOrigin.TryParseReview("securedialogue.invalid/review/8B2F6C1E-4A5D-4E7F-9C3B-2D1E0F6A7B8C", out _));
    }

    private static byte[] KeyId(string name, byte type, ReadOnlySpan<byte> publicKey) =>
        SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0a, type, .. publicKey])[..4];
}
