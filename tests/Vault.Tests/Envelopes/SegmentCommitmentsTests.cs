using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class SegmentCommitmentsTests : IDisposable
{
    private readonly EnvelopeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void SegmentSalt_DisclosedSegmentWithAuditPath_VerifiesAgainstSignedRoot()
    {
        // Arrange: the State discloses segment 1 of 3 and withholds the others.
        var envelope = _f.SealFromExpert(1, "withheld zero", "published one", "withheld two");
        var opened = EnvelopeOpener.Open(envelope.Encoded, _f.ReviewerKeyring).Value!;
        var leaves = Enumerable.Range(0, 3)
            .Select(i => SegmentCommitments.LeafHash(i, opened.Segments[i].Kind, opened.SegmentSalt(i), opened.Segments[i].Content.Span))
            .ToList();
        var proof = MerkleTree.InclusionProof(leaves, 1);

        // Act: a verifier with only segment 1, its salt and the proof.
        var leaf = SegmentCommitments.LeafHash(1, SegmentKind.Text, opened.SegmentSalt(1), "published one"u8);
        var forged = SegmentCommitments.LeafHash(1, SegmentKind.Text, opened.SegmentSalt(1), "published 0ne"u8);

        // Assert
        Assert.True(MerkleProofs.VerifyInclusion(leaf, 1, 3, envelope.Header.CommitmentRoot.Span, proof));
        Assert.False(MerkleProofs.VerifyInclusion(forged, 1, 3, envelope.Header.CommitmentRoot.Span, proof));
        Assert.False(MerkleProofs.VerifyInclusion(leaf, 0, 3, envelope.Header.CommitmentRoot.Span, proof));
    }

    [Fact]
    public void Salt_DifferentIndicesAndKeys_Independent()
    {
        var keyA = Enumerable.Repeat((byte)7, 32).ToArray();
        var keyB = Enumerable.Repeat((byte)8, 32).ToArray();
        Assert.NotEqual(SegmentCommitments.Salt(keyA, 0), SegmentCommitments.Salt(keyA, 1));
        Assert.NotEqual(SegmentCommitments.Salt(keyA, 0), SegmentCommitments.Salt(keyB, 0));
        Assert.Equal(SegmentCommitments.Salt(keyA, 3), SegmentCommitments.Salt(keyA, 3));
    }
}
