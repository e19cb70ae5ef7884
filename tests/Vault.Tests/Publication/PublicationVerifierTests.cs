using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Vault.Tests.Publication;

public sealed class PublicationVerifierTests : IDisposable
{
    private readonly PublicationFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Verify_GenuinePartialRecord_ValidWithAuthorDatesAndCosignature()
    {
        // Arrange
        var record = _f.Genuine();

        // Act
        var result = PublicationVerifier.Verify(record.Encoded.Span, _f.Trust with { MinimumCosignatures = 1 });

        // Assert
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(_f.Item.Sender.Id, result.Author!.Id);
        Assert.Equal(_f.FocalPoint.Id, result.Publisher!.Id);
        Assert.Equal(PublicationFixture.CheckpointTime, result.Checkpoint!.Time);
        Assert.Equal(_f.FocalPoint.Id, Assert.Single(result.Checkpoint.Cosignatures).Cosigner.Device);
        Assert.Equal([0, 2], result.Record!.Disclosed.Select(d => d.Index));
        Assert.Equal([1], result.Record.Withheld);
        Assert.Equal(PublicationFixture.PublicText, result.Record.Disclosed[0].Segment.TextContent);
        Assert.Equal("UNTOC-5.1", result.Record.Disclosed[1].Segment.QuestionReference);
        Assert.Equal("fr", result.Record.Item.Header.Language.Value);
        Assert.Equal(PublicationFixture.PublishedAt, result.Record.PublishedAt);
        Assert.Equal(PublicationFixture.ReceivedAt, result.Record.Archive.ReceivedAt);
    }

    [Fact]
    public void Verify_GenuineDocumentRecord_Valid()
    {
        // Arrange
        var record = _f.GenuineDocument();

        // Act
        var result = PublicationVerifier.Verify(record.Encoded.Span, _f.Trust);

        // Assert
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(_f.Document, Assert.Single(result.Record!.Documents).Content.ToArray());
    }

    [Fact]
    public void Decode_GenuineRecord_ReEncodesByteForByte()
    {
        var record = _f.Genuine();
        var again = PublicationRecord.Decode(record.Encoded.Span).Value!;
        Assert.Equal(record.Encoded.ToArray(), again.Encoded.ToArray());
        Assert.Equal(record.Commitments, again.Commitments);
    }

    [Fact]
    public void Verify_AlteredTextResignedByPublisher_SegmentMismatch()
    {
        // Arrange: a publisher edits one word of the disclosed text and signs the result.
        var record = _f.Genuine();
        var altered = record.Disclosed.Select(d => d.Index == 0
            ? d with { Segment = Segment.Text(PublicationFixture.PublicText.Replace("adopté", "rejeté", StringComparison.Ordinal)) }
            : d).ToList();

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, disclosed: altered), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.SegmentMismatch, 0)], result.Problems);
    }

    [Fact]
    public void Verify_AlteredTextBytes_SegmentMismatchAndPublisherSignature()
    {
        // Arrange: someone other than the publisher edits the text in the file.
        var bytes = _f.Genuine().Encoded.ToArray();
        var at = IndexOf(bytes, Encoding.UTF8.GetBytes("adopté"));
        bytes[at] = (byte)'A';

        // Act
        var result = PublicationVerifier.Verify(bytes, _f.Trust);

        // Assert
        Assert.Contains(new PublicationProblem(PublicationFailure.SegmentMismatch, 0), result.Problems);
        Assert.True(result.Has(PublicationFailure.PublisherSignatureInvalid));
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void Verify_SwappedSegments_SegmentSwapped()
    {
        // Arrange: the disclosed segments 0 and 2 exchange places, each keeping its salt.
        var record = _f.Genuine();
        var (first, second) = (record.Disclosed[0], record.Disclosed[1]);
        DisclosedSegment[] swapped = [second with { Index = 0 }, first with { Index = 2 }];

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, disclosed: swapped), _f.Trust);

        // Assert
        Assert.Equal(
            [new PublicationProblem(PublicationFailure.SegmentSwapped, 0, 2), new PublicationProblem(PublicationFailure.SegmentSwapped, 2, 0)],
            result.Problems);
    }

    [Fact]
    public void Verify_SegmentFromAnotherItem_SegmentMismatch()
    {
        // Arrange: segment 0 of another item of the same author, with its genuine salt.
        var record = _f.Genuine();
        var foreign = new DisclosedSegment(0, _f.Other.Segments[0], _f.Other.SegmentSalt(0));
        DisclosedSegment[] disclosed = [foreign, record.Disclosed[1]];

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, disclosed: disclosed), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.SegmentMismatch, 0)], result.Problems);
    }

    [Fact]
    public void Verify_AlteredWithheldCommitment_CommitmentsMismatch()
    {
        var record = _f.Genuine();
        var commitments = record.Commitments.Select(c => c.ToArray()).ToArray();
        commitments[1][0] ^= 1;

        var result = PublicationVerifier.Verify(_f.Forge(record, commitments: commitments), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.CommitmentsMismatch)], result.Problems);
    }

    [Fact]
    public void Verify_ProofForAnotherItem_InclusionFailed()
    {
        // Arrange: the other item's index, time and proof, which are genuine for that item.
        var record = _f.Genuine();
        var archive = record.Archive with
        {
            EntryIndex = _f.OtherIndex,
            ReceivedAt = PublicationFixture.ReceivedAt.AddSeconds(1),
            Proof = _f.Proof(_f.OtherIndex),
        };

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, archive: archive), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.InclusionFailed)], result.Problems);
    }

    [Fact]
    public void Verify_ItemOfAnotherRecordWithThisProof_InclusionFailed()
    {
        // Arrange: the other item (validly signed by its author, all disclosed) presented with this item's proof.
        var other = _f.Builder(_f.Other, _f.OtherIndex).DiscloseAll().Build(_f.FocalPoint, PublicationFixture.PublishedAt);
        var archive = _f.Genuine().Archive;

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(other, archive: archive), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.InclusionFailed)], result.Problems);
    }

    [Fact]
    public void Verify_RootNotSignedByArchiveKey_CheckpointBadSignatureAndInclusionFailed()
    {
        // Arrange: another root (and size) in the note, the log's signature lines kept.
        var record = _f.Genuine();
        var text = _f.Checkpoint.Text;
        var root = Convert.ToBase64String(_f.Checkpoint.RootHash);
        var otherRoot = Convert.ToBase64String(MerkleTree.Root(_f.Entries.Take(4).Select(e => e.LeafHash()).ToList()));
        var tampered = text.Replace("\n5\n" + root, "\n4\n" + otherRoot, StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        var archive = record.Archive with { Checkpoint = Encoding.UTF8.GetBytes(tampered), Proof = MerkleTree.InclusionProof(_f.Entries.Take(4).Select(e => e.LeafHash()).ToList(), 1) };

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, archive: archive), _f.Trust);

        // Assert: the proof recomputes to the forged root, but no archive key signed it.
        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointBadSignature)], result.Problems);
    }

    [Fact]
    public void Verify_CheckpointSignedByForeignKey_CheckpointNotSigned()
    {
        // Arrange: the genuine root signed by a key the verifier does not trust (same key name).
        using var foreign = CheckpointSigner.Create();
        var record = _f.Genuine();
        var note = foreign.Sign(_f.Checkpoint.Origin, _f.Checkpoint.TreeSize, _f.Checkpoint.RootHash, PublicationFixture.CheckpointTime);
        var archive = record.Archive with { Checkpoint = note.Encode() };

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, archive: archive), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointNotSigned)], result.Problems);
    }

    [Fact]
    public void Verify_GenuineRecordWithForeignTrustedKey_CheckpointNotSigned()
    {
        using var foreign = CheckpointSigner.Create();
        var trust = new PublicationTrust(new ArchiveKeyRing([foreign.LogKey()]));

        var result = PublicationVerifier.Verify(_f.Genuine().Encoded.Span, trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointNotSigned)], result.Problems);
    }

    [Fact]
    public void Verify_CheckpointOfAnotherReview_CheckpointWrongOrigin()
    {
        var record = _f.Genuine();
        var note = _f.Log.Sign(ArchiveOrigin.ForReview(Guid.NewGuid()), _f.Checkpoint.TreeSize, _f.Checkpoint.RootHash, PublicationFixture.CheckpointTime);

        var result = PublicationVerifier.Verify(_f.Forge(record, archive: record.Archive with { Checkpoint = note.Encode() }), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointWrongOrigin)], result.Problems);
    }

    [Fact]
    public void Verify_FewerCosignaturesThanRequired_NotCosigned()
    {
        var result = PublicationVerifier.Verify(_f.Genuine().Encoded.Span, _f.Trust with { MinimumCosignatures = 2 });

        Assert.Equal([new PublicationProblem(PublicationFailure.NotCosigned)], result.Problems);
    }

    [Fact]
    public void Verify_TamperedAuthorHeader_AuthorSignatureInvalid()
    {
        // Arrange: the header's language changed from fr to en, everything else (and the publisher's signature) valid.
        var record = _f.Genuine();
        var summary = record.Item.Encode();
        var at = IndexOf(summary, [0x02, (byte)'f', (byte)'r']);
        summary[at + 1] = (byte)'e';
        summary[at + 2] = (byte)'n';
        var item = EnvelopeSummary.Decode(summary).Value!;

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, item: item), _f.Trust);

        // Assert: the author did not sign that header, and the archive did not log it.
        Assert.Equal(
            [new PublicationProblem(PublicationFailure.AuthorSignatureInvalid), new PublicationProblem(PublicationFailure.InclusionFailed)],
            result.Problems);
    }

    [Fact]
    public void Verify_AnotherDeviceAsAuthor_AuthorCardInvalid()
    {
        var record = _f.Genuine();

        var result = PublicationVerifier.Verify(_f.Forge(record, author: _f.F.Reviewer.PublicKeys), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.AuthorCardInvalid)], result.Problems);
    }

    [Fact]
    public void Verify_AlteredAudience_PublisherSignatureInvalid()
    {
        var bytes = _f.Genuine().Encoded.ToArray();
        Assert.Equal((byte)PublicationAudience.Public, bytes[2]);
        bytes[2] = (byte)PublicationAudience.StatesParties;

        var result = PublicationVerifier.Verify(bytes, _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.PublisherSignatureInvalid)], result.Problems);
    }

    [Fact]
    public void Verify_DocumentBytesDiffer_DocumentMismatch()
    {
        var record = _f.GenuineDocument();
        var altered = _f.Document.ToArray();
        altered[4321] ^= 0x20;

        var result = PublicationVerifier.Verify(_f.Forge(record, documents: [new PublishedDocument(1, altered)]), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.DocumentMismatch, 1)], result.Problems);
    }

    [Fact]
    public void Verify_DocumentMissing_DocumentMissing()
    {
        var record = _f.GenuineDocument();

        var result = PublicationVerifier.Verify(_f.Forge(record, documents: []), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.DocumentMissing, 1)], result.Problems);
    }

    [Fact]
    public void Verify_DocumentTruncated_DocumentMismatch()
    {
        var record = _f.GenuineDocument();

        var result = PublicationVerifier.Verify(_f.Forge(record, documents: [new PublishedDocument(1, _f.Document.AsMemory(0, 4999))]), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.DocumentMismatch, 1)], result.Problems);
    }

    [Fact]
    public void Verify_VerifierWhoKnowsOnlyTheArchiveKey_ValidAndListsTheRecordsCosigner()
    {
        var trust = new PublicationTrust(new ArchiveKeyRing([_f.Log.LogKey()]));

        var result = PublicationVerifier.Verify(_f.Genuine().Encoded.Span, trust);

        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(_f.FocalPoint.Id, Assert.Single(result.Checkpoint!.Cosignatures).Cosigner.Device);
    }

    [Fact]
    public void Verify_CosignerNotTrustedButRequired_NotCosigned()
    {
        var trust = new PublicationTrust(new ArchiveKeyRing([_f.Log.LogKey()])) { MinimumCosignatures = 1 };

        var result = PublicationVerifier.Verify(_f.Genuine().Encoded.Span, trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.NotCosigned)], result.Problems);
    }

    [Fact]
    public void Verify_CheckpointLineOfUnlistedCosigner_CheckpointUnlistedSignature()
    {
        // Arrange: the reviewer's device cosigns too, but the record does not list its card.
        var record = _f.Genuine();
        var note = SignedCheckpoint.Parse(record.Archive.Checkpoint.Span).Value!;
        var extra = CheckpointSigner.Cosign(_f.F.Reviewer, note, PublicationFixture.CheckpointTime.AddMinutes(9));

        // Act
        var result = PublicationVerifier.Verify(_f.Forge(record, archive: record.Archive with { Checkpoint = extra.Encode() }), _f.Trust);

        // Assert
        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointUnlistedSignature)], result.Problems);
    }

    [Fact]
    public void Verify_ListedCosignerWithoutLine_CheckpointUnlistedSignature()
    {
        var record = _f.Genuine();
        var archive = record.Archive with { CosignerCards = [.. record.Archive.CosignerCards, _f.F.Reviewer.PublicKeys.Encode()] };

        var result = PublicationVerifier.Verify(_f.Forge(record, archive: archive), _f.Trust);

        Assert.Equal([new PublicationProblem(PublicationFailure.CheckpointUnlistedSignature)], result.Problems);
    }

    [Fact]
    public void WithArchive_CosignerCardNotGiven_ItsLineIsLeftOut()
    {
        var record = new PublicationBuilder(_f.Item)
        {
            Audience = PublicationAudience.StatesParties,
            AuthorState = StateCode.Parse("DEU"),
            PublisherState = StateCode.Parse("FRA"),
        }.WithArchive(_f.ItemIndex, PublicationFixture.ReceivedAt, _f.Proof(_f.ItemIndex), _f.Checkpoint).Disclose(1).Build(_f.FocalPoint, PublicationFixture.PublishedAt);

        var result = PublicationVerifier.Verify(record.Encoded.Span, _f.Trust);

        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Empty(result.Checkpoint!.Cosignatures);
        Assert.Equal(2, SignedCheckpoint.Parse(record.Archive.Checkpoint.Span).Value!.Signatures.Count);
    }

    [Fact]
    public void Verify_LogOfWholeEnvelopes_RecordCarriesTheCiphertextAndVerifies()
    {
        // Arrange: a log that records the whole envelope (not its summary) as the Envelope entry.
        var entry = ArchiveEntry.Create(_f.F.Review, 0, ArchiveEntryKind.Envelope, PublicationFixture.ReceivedAt, _f.Item.Envelope.Encoded.Span);
        var note = _f.Log.Sign(ArchiveOrigin.ForReview(_f.F.Review), 1, entry.LeafHash(), PublicationFixture.CheckpointTime);
        var builder = new PublicationBuilder(_f.Item)
        {
            Audience = PublicationAudience.Public,
            AuthorState = StateCode.Parse("DEU"),
            PublisherState = StateCode.Parse("FRA"),
        }.WithArchive(entry, [], note).Disclose(0);

        // Act
        var record = builder.Build(_f.FocalPoint, PublicationFixture.PublishedAt);
        var result = PublicationVerifier.Verify(record.Encoded.Span, _f.Trust);
        var ciphertext = record.Archive.Ciphertext.ToArray();
        ciphertext[10] ^= 1;
        var altered = PublicationVerifier.Verify(_f.Forge(record, archive: record.Archive with { Ciphertext = ciphertext }), _f.Trust);

        // Assert
        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.Equal(EnvelopeEntryForm.WholeEnvelope, record.Archive.Form);
        Assert.Equal(_f.Item.Envelope.Ciphertext.ToArray(), record.Archive.Ciphertext.ToArray());
        Assert.True(record.Encoded.Span.IndexOf("Oui"u8) < 0);
        Assert.Equal(
            [new PublicationProblem(PublicationFailure.CiphertextMismatch), new PublicationProblem(PublicationFailure.InclusionFailed)],
            altered.Problems);
    }

    [Fact]
    public void WithArchive_EntryOfAnotherItem_Throws()
    {
        var other = EnvelopeSummary.Of(_f.Other.Envelope).ToArchiveEntry(2, PublicationFixture.ReceivedAt);

        Assert.Throws<ArgumentException>(() => new PublicationBuilder(_f.Item).WithArchive(other, [], _f.Checkpoint));
    }

    internal static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "needle not found");
        return at;
    }
}
