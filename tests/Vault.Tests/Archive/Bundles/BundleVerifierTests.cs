using SecureDialogue.Testing.Bundles;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Vault.Tests.Archive.Bundles;

public sealed class BundleVerifierTests
{
    [Fact]
    public async Task Verify_WrittenBundle_ValidWithEverySignatureCounted()
    {
        using var scenario = await BundleScenario.CreateAsync(envelopes: 4);
        var bytes = await scenario.WriteAsync();

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        Assert.True(result.IsValid, result.Failure?.ToString());
        var summary = result.Summary!;
        Assert.Equal(scenario.TreeSize, summary.TreeSize);
        Assert.Equal(scenario.Checkpoints[^1].RootHash.ToArray(), summary.Root);
        Assert.Equal(5, summary.EnvelopeSignatures);
        Assert.Equal(2, summary.EpochRecordSignatures);
        Assert.Equal(1, summary.AttachmentCiphertexts);
        Assert.Equal(scenario.Checkpoints.Count, summary.Checkpoints);
        Assert.Equal(1, summary.Cosigners);
        Assert.Equal(2, summary.Cosignatures); // on the checkpoint and in the cosignature entry
        Assert.Equal(bytes.Length, summary.Size);
        Assert.Equal(scenario.Signer.LogKey().VerifierKey, Assert.Single(summary.LogKeys));
        Assert.Collection(summary.TrustStatements,
            t => Assert.True(t.Statement.IsRoot && t.Statement.Certifier == scenario.Manager.Id && t.Statement.Reference == BundleScenario.Nomination),
            t => Assert.Equal((TrustStatementKind.Certificate, scenario.Expert.Id, CertifiedRole.Expert), (t.Statement.Kind, t.Statement.Subject, t.Statement.Role)),
            t => Assert.Equal((TrustStatementKind.Revocation, RevocationReason.Lost), (t.Statement.Kind, t.Statement.Reason)));
        Assert.All(summary.TrustStatements, t => Assert.Equal(ArchiveEntryKind.MembershipChange, scenario.Entries[(int)t.EntryIndex].Kind));
    }

    [Theory]
    [InlineData("signature", BundleFailureReason.TrustStatementSignature)]
    [InlineData("no-root", BundleFailureReason.TrustStatementInvalid)]
    [InlineData("gap", BundleFailureReason.TrustStatementInvalid)]
    [InlineData("other-review", BundleFailureReason.TrustStatementInvalid)]
    [InlineData("unknown-subject", BundleFailureReason.TrustStatementInvalid)]
    public async Task Verify_BadTrustStatement_FailsNamingItsEntry(string defect, BundleFailureReason expected)
    {
        // Arrange: after the scenario's valid statements (manager's numbers 1 to 3), one more that is wrong in one way.
        using var scenario = await BundleScenario.CreateAsync();
        var at = BundleScenario.Start.AddDays(1);
        var statement = defect switch
        {
            "signature" => Flip(TrustStatementBuilder.Certify(scenario.Manager, scenario.Review, BundleScenario.State, scenario.Expert.PublicKeys, scenario.ExpertAccount,
                CertifiedRole.Expert, CertificateFlags.None, 4, at).Encoded.ToArray()),
            "no-root" => TrustStatementBuilder.Certify(scenario.Expert, scenario.Review, BundleScenario.State, scenario.Manager.PublicKeys, scenario.ManagerAccount,
                CertifiedRole.Expert, CertificateFlags.None, 1, at).Encoded.ToArray(),
            "gap" => TrustStatementBuilder.Revoke(scenario.Manager, scenario.Review, BundleScenario.State, scenario.Expert.Id, scenario.ExpertAccount,
                RevocationReason.Removed, 5, at).Encoded.ToArray(),
            "other-review" => TrustStatementBuilder.Revoke(scenario.Manager, Guid.NewGuid(), BundleScenario.State, scenario.Expert.Id, scenario.ExpertAccount,
                RevocationReason.Removed, 4, at).Encoded.ToArray(),
            _ => TrustStatementBuilder.Certify(scenario.Manager, scenario.Review, BundleScenario.State, scenario.Outsider.PublicKeys, Guid.NewGuid(),
                CertifiedRole.Expert, CertificateFlags.None, 4, at).Encoded.ToArray(),
        };
        var index = scenario.TreeSize;
        scenario.Add(ArchiveEntryKind.MembershipChange, statement);
        var bytes = await scenario.WriteAsync();

        // Act
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        // Assert
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Failure!.Reason);
        Assert.Equal(index, result.Failure.EntryIndex);

        static byte[] Flip(byte[] encoded)
        {
            encoded[^1] ^= 0x01;
            return encoded;
        }
    }

    [Fact]
    public async Task Verify_DigestsOnly_ValidWithoutCiphertexts()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var withCiphertexts = await scenario.WriteAsync();
        var bytes = await scenario.WriteAsync(BundleAttachmentMode.DigestsOnly);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal(0, result.Summary!.AttachmentCiphertexts);
        Assert.True(bytes.Length < withCiphertexts.Length);
    }

    [Fact]
    public async Task Verify_AnyByteChanged_FailsAndNamesTheEntryHoldingIt()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var bytes = await scenario.WriteAsync();
        var owners = await BundleScenario.EntryOwnersAsync(bytes);
        var headerEnd = BundleFormat.Magic.Length + BundleFormat.FrameSize + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(9));

        for (var offset = 0; offset < bytes.Length; offset++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[offset] ^= 0x01;

            var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));

            Assert.False(result.IsValid, $"byte {offset} changed and the bundle still verified");
            if (owners[offset] is { } entry)
            {
                Assert.True(result.Failure!.EntryIndex == entry, $"byte {offset} of entry {entry}: {result.Failure}");
                Assert.True(result.Failure.LastEntryIndex is null || result.Failure.LastEntryIndex == entry, $"byte {offset}: {result.Failure}");
            }
            else if (offset >= headerEnd)
            {
                // Cards, checkpoints, seal: never blamed on an entry. (A changed header byte, such as the attachment
                // mode, can make a later record look out of place; it fails, and the seal could not verify either.)
                Assert.True(result.Failure!.EntryIndex is null, $"byte {offset} outside entries: {result.Failure}");
            }
        }
    }

    [Fact]
    public async Task Verify_SparseCheckpoints_RootMismatchNamesTheRange()
    {
        using var scenario = await BundleScenario.CreateAsync(envelopes: 6, checkpointEvery: 4);
        var bytes = await scenario.WriteAsync();
        var owners = await BundleScenario.EntryOwnersAsync(bytes);
        var stageChange = scenario.Entries.Single(e => e.Kind == ArchiveEntryKind.StageChange).Index;
        var offset = Array.FindLastIndex(owners, o => o == stageChange); // the payload's last byte

        bytes[offset] ^= 0x20;
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        Assert.Equal(BundleFailureReason.RootMismatch, result.Failure!.Reason);
        Assert.InRange(stageChange, result.Failure.EntryIndex!.Value, result.Failure.LastEntryIndex!.Value);
        Assert.Equal(0, result.Failure.EntryIndex);
        Assert.Equal(3, result.Failure.LastEntryIndex);
    }

    [Fact]
    public async Task Verify_NonSeekableStreamInSmallReads_Valid()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var bytes = await scenario.WriteAsync();

        var result = await BundleVerifier.VerifyAsync(new TrickleStream(bytes));

        Assert.True(result.IsValid, result.Failure?.ToString());
    }

    [Theory]
    [InlineData(0x05, ulong.MaxValue)] // an entry of 2^64 - 1 bytes
    [InlineData(0x06, 1UL << 62)] // an attachment where an entry is due
    [InlineData(0x42, 10UL)] // an undefined record type
    public async Task Verify_HostileFrameAfterCheckpoints_MalformedWithoutReadingIt(byte type, ulong length)
    {
        using var scenario = await BundleScenario.CreateAsync();
        var bytes = await scenario.WriteAsync();
        var firstEntry = Array.FindIndex(await BundleScenario.EntryOwnersAsync(bytes), o => o == 0);
        var frame = new byte[BundleFormat.FrameSize];
        frame[0] = type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), length);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream([.. bytes[..firstEntry], .. frame]));

        Assert.Equal(BundleFailureReason.Malformed, result.Failure?.Reason);
        Assert.Equal(0, result.Failure!.EntryIndex);
    }

    [Fact]
    public async Task Verify_HeaderClaimingHugeTree_TruncatedNotHung()
    {
        using var scenario = await BundleScenario.CreateAsync();
        using var signer = CheckpointSigner.Create();
        var header = new BundleHeader(scenario.Review, BundleScenario.Start, BundleAttachmentMode.DigestsOnly, BundleFormat.MaxTreeSize, [signer.LogKey()], 0, 0, 1);
        var body = header.Encode();
        var frame = new byte[BundleFormat.FrameSize];
        frame[0] = (byte)BundleRecordType.Header;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), (ulong)body.Length);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream([.. BundleFormat.Magic, .. frame, .. body]));

        Assert.Equal(BundleFailureReason.Truncated, result.Failure?.Reason);
    }

    [Fact]
    public async Task Verify_ValidlySignedCheckpointOfAnotherTree_RootMismatchAtItsSize()
    {
        // The log key signs a second history (a fork) of size 3; the bundle carries it in place of the real one.
        using var scenario = await BundleScenario.CreateAsync();
        var bytes = await scenario.WriteAsync();
        var forked = scenario.Signer.Sign(ArchiveOrigin.ForReview(scenario.Review), 3, new byte[32], BundleScenario.Start.AddHours(1));
        var records = await RecordsAsync(bytes);
        var index = records.FindIndex(r => r.Type == BundleRecordType.Checkpoint && SignedCheckpoint.Parse(r.Body).Value!.TreeSize == 3);
        records[index] = (BundleRecordType.Checkpoint, forked.Encode());

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(Assemble(records)));

        Assert.Equal(BundleFailureReason.RootMismatch, result.Failure?.Reason);
        Assert.Equal(2, result.Failure!.EntryIndex);
        Assert.Equal(2, result.Failure.LastEntryIndex);
    }

    [Fact]
    public async Task Verify_CheckpointsOutOfOrder_CheckpointOrder()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var records = await RecordsAsync(await scenario.WriteAsync());
        var first = records.FindIndex(r => r.Type == BundleRecordType.Checkpoint);
        (records[first], records[first + 1]) = (records[first + 1], records[first]);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(Assemble(records)));

        Assert.Equal(BundleFailureReason.CheckpointOrder, result.Failure?.Reason);
    }

    [Fact]
    public async Task Verify_EntriesSwapped_FirstOneNamed()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var records = await RecordsAsync(await scenario.WriteAsync());
        var first = records.FindIndex(r => r.Type == BundleRecordType.Entry);
        (records[first + 1], records[first + 2]) = (records[first + 2], records[first + 1]);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(Assemble(records)));

        Assert.Equal(BundleFailureReason.EntryMalformed, result.Failure?.Reason);
        Assert.Equal(1, result.Failure!.EntryIndex);
    }

    [Fact]
    public async Task Verify_TruncatedAnywhere_Fails()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var bytes = await scenario.WriteAsync();

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes, 0, length));

            Assert.False(result.IsValid, $"a bundle cut to {length} bytes verified");
            Assert.True(result.Failure!.Reason is BundleFailureReason.Truncated, $"cut to {length}: {result.Failure}");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0x7f, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0, 1, 1 })]
    public async Task Verify_BytesAfterSeal_TrailingData(byte[] extra)
    {
        using var scenario = await BundleScenario.CreateAsync();
        byte[] bytes = [.. await scenario.WriteAsync(), .. extra];

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        Assert.Equal(BundleFailureReason.TrailingData, result.Failure?.Reason);
    }

    [Fact]
    public async Task Verify_SealedAndHeadedByForeignKey_CheckpointsFail()
    {
        using var scenario = await BundleScenario.CreateAsync();
        using var foreign = CheckpointSigner.Create();
        var bytes = await scenario.WriteAsync(sealer: foreign);

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));

        Assert.Equal(BundleFailureReason.CheckpointInvalid, result.Failure?.Reason);
        Assert.Contains("NotSigned", result.Failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ValidBundleOfAnotherLogKey_ForeignLogKeyWhenKeysAreGiven()
    {
        using var scenario = await BundleScenario.CreateAsync();
        using var published = CheckpointSigner.Create();
        var bytes = await scenario.WriteAsync();

        var refused = await BundleVerifier.VerifyAsync(new MemoryStream(bytes), new BundleVerifierOptions { TrustedLogKeys = [published.LogKey()] });
        var accepted = await BundleVerifier.VerifyAsync(new MemoryStream(bytes), new BundleVerifierOptions { TrustedLogKeys = [scenario.Signer.LogKey()] });

        Assert.Equal(BundleFailureReason.ForeignLogKey, refused.Failure?.Reason);
        Assert.True(accepted.IsValid, accepted.Failure?.ToString());
    }

    [Fact]
    public async Task Write_EntriesThatDoNotGiveTheSignedRoot_Refused()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var header = new BundleHeader(scenario.Review, BundleScenario.Start, BundleAttachmentMode.DigestsOnly, 1, [scenario.Signer.LogKey()], 0, 0, 1);
        var checkpoint = scenario.Signer.Sign(ArchiveOrigin.ForReview(scenario.Review), 1, new byte[32], BundleScenario.Start);
        var writer = await BundleWriter.CreateAsync(new MemoryStream(), header, scenario.Signer);
        await writer.WriteCheckpointAsync(checkpoint);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteEntryAsync(scenario.Entries[0]));
    }

    [Fact]
    public async Task Write_SameInputs_SameBytes()
    {
        using var scenario = await BundleScenario.CreateAsync();

        Assert.Equal(await scenario.WriteAsync(), await scenario.WriteAsync());
    }

    // A forward-only stream that returns at most 7 bytes per read.
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<List<(BundleRecordType Type, byte[] Body)>> RecordsAsync(byte[] bytes)
    {
        var records = new List<(BundleRecordType, byte[])>();
        using var reader = new BundleReader(new MemoryStream(bytes));
        await reader.ReadMagicAsync();
        while (await reader.ReadFrameAsync() == BundleReadStatus.Ok)
        {
            var start = (int)reader.RecordOffset + BundleFormat.FrameSize;
            records.Add((reader.Type, bytes[start..(start + (int)reader.Length)]));
            while (reader.Type == BundleRecordType.Attachment ? await reader.ReadChunkAsync() is { IsEmpty: false } : (await reader.ReadBodyAsync()) is null)
            {
            }
        }

        return records;
    }

    private static byte[] Assemble(List<(BundleRecordType Type, byte[] Body)> records)
    {
        var output = new List<byte>(BundleFormat.Magic.ToArray());
        foreach (var (type, body) in records)
        {
            var frame = new byte[BundleFormat.FrameSize];
            frame[0] = (byte)type;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), (ulong)body.Length);
            output.AddRange(frame);
            output.AddRange(body);
        }

        return [.. output];
    }
}
