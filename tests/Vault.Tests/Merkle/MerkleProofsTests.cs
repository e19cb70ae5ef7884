using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Merkle;

/// <summary>Edge cases of RFC 9162 verification: empty trees, equal sizes, bounds.</summary>
public sealed class MerkleProofsTests
{
    private static readonly byte[] Empty = MerkleHash.EmptyRoot();
    private static readonly byte[] Root8 = Hex.Decode(MerkleReferenceTests.Roots[8]);
    private static readonly byte[] Root7 = Hex.Decode(MerkleReferenceTests.Roots[7]);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    public void VerifyConsistency_FromEmptyTreeWithEmptyProof_Succeeds(long newSize)
    {
        // Arrange
        var anyRoot = newSize == 8 ? Root8 : MerkleHash.Leaf("whatever"u8);

        // Act
        var valid = MerkleProofs.VerifyConsistency(0, newSize, Empty, anyRoot, []);

        // Assert
        Assert.True(valid);
    }

    [Fact]
    public void VerifyConsistency_FromEmptyTreeWithNonEmptyProof_Fails()
    {
        // Arrange
        List<byte[]> proof = [Empty];

        // Act
        var valid = MerkleProofs.VerifyConsistency(0, 8, Empty, Root8, proof);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyConsistency_FromSizeZeroWithNonEmptyOldRoot_Fails()
    {
        // Arrange
        var notEmpty = Hex.Decode(MerkleReferenceTests.Roots[1]);

        // Act
        var valid = MerkleProofs.VerifyConsistency(0, 8, notEmpty, Root8, []);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyConsistency_EmptyToEmptyWithEqualEmptyRoots_Succeeds()
    {
        // Arrange
        var newRoot = MerkleHash.EmptyRoot();

        // Act
        var valid = MerkleProofs.VerifyConsistency(0, 0, Empty, newRoot, []);

        // Assert
        Assert.True(valid);
    }

    [Fact]
    public void VerifyConsistency_EmptyToEmptyWithDifferentNewRoot_Fails()
    {
        // Arrange: equal sizes need equal roots, the empty tree included (transparency-dev: "roots don't match").
        var newRoot = Root8;

        // Act
        var valid = MerkleProofs.VerifyConsistency(0, 0, Empty, newRoot, []);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyConsistency_EqualSizesEqualRootsEmptyProof_Succeeds()
    {
        // Arrange
        var root = Root8.ToArray();

        // Act
        var valid = MerkleProofs.VerifyConsistency(8, 8, Root8, root, []);

        // Assert
        Assert.True(valid);
    }

    [Fact]
    public void VerifyConsistency_EqualSizesDifferentRoots_Fails()
    {
        // Arrange: a split view, two different trees of the same size.
        var other = Root7;

        // Act
        var valid = MerkleProofs.VerifyConsistency(8, 8, Root8, other, []);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyConsistency_EqualSizesWithNonEmptyProof_Fails()
    {
        // Arrange
        List<byte[]> proof = [Empty];

        // Act
        var valid = MerkleProofs.VerifyConsistency(8, 8, Root8, Root8, proof);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyConsistency_NewSizeSmallerThanOld_Fails()
    {
        // Arrange: a rollback, even with the real proof of the other direction.
        var proof = MerkleTree.ConsistencyProof(MerkleReferenceTests.LeafHashes(8), 7);

        // Act
        var valid = MerkleProofs.VerifyConsistency(8, 7, Root8, Root7, proof);

        // Assert
        Assert.False(valid);
    }

    [Theory]
    [InlineData(-1, 8)]
    [InlineData(8, 8)]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    public void VerifyInclusion_IndexOutsideTree_Fails(long index, long size)
    {
        // Arrange
        var leaf = MerkleHash.Leaf(MerkleReferenceTests.LeafData[0]);

        // Act
        var valid = MerkleProofs.VerifyInclusion(leaf, index, size, leaf, []);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void VerifyInclusion_SizeWithSameAuditPathShape_VerifiesBecauseOnlyTheSignedTreeHeadBindsTheSize()
    {
        // Arrange: leaf 0 has the same audit-path shape in trees of 3 and 4 leaves (two left turns). RFC 9162
        // proofs commit to the shape, not the size; the size is bound by the signed tree head, so callers must
        // take size and root from one verified checkpoint.
        var leaves = MerkleReferenceTests.LeafHashes(4);
        var proof = MerkleTree.InclusionProof(leaves, 0);
        var root4 = MerkleTree.Root(leaves);

        // Act
        var asSize4 = MerkleProofs.VerifyInclusion(leaves[0], 0, 4, root4, proof);
        var asSize3 = MerkleProofs.VerifyInclusion(leaves[0], 0, 3, root4, proof);
        var asSize5 = MerkleProofs.VerifyInclusion(leaves[0], 0, 5, root4, proof);

        // Assert
        Assert.True(asSize4);
        Assert.True(asSize3);
        Assert.False(asSize5);
    }

    [Fact]
    public void InclusionProof_IndexOutOfRange_Throws()
    {
        // Arrange
        var leaves = MerkleReferenceTests.LeafHashes(3);

        // Act
        var error = Record.Exception(() => MerkleTree.InclusionProof(leaves, 3));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void ConsistencyProof_FromEmptyOrFullTree_IsEmpty(int oldSize)
    {
        // Arrange
        var leaves = MerkleReferenceTests.LeafHashes(8);

        // Act
        var proof = MerkleTree.ConsistencyProof(leaves, oldSize);

        // Assert
        Assert.Empty(proof);
    }
}
