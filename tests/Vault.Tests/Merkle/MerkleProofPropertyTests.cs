using FsCheck;
using FsCheck.Xunit;
using SecureDialogue.Vault.Merkle;
using Xunit;

namespace SecureDialogue.Vault.Tests.Merkle;

/// <summary>
/// Generated proofs verify for every tree size 1..64 and every index or old size; any change to a proof
/// hash, a root, the index or a size the proof was not made for makes verification fail.
/// </summary>
public sealed class MerkleProofPropertyTests
{
    private const int MaxSize = 64;

    // Distinct leaves; a tree of n leaves is the first n of them.
    private static readonly byte[][] Leaves = [.. Enumerable.Range(0, 2 * MaxSize + 1).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i)))];

    private static readonly byte[][] Roots = [.. Enumerable.Range(0, 2 * MaxSize + 1).Select(n => MerkleTree.Root(Leaves[..n]))];

    [Fact]
    public void InclusionProof_EverySizeUpTo64AndEveryIndex_Verifies()
    {
        // Arrange
        var failures = new List<(int Size, int Index)>();
        var checkedCount = 0;

        // Act
        for (var size = 1; size <= MaxSize; size++)
        {
            var leaves = Leaves[..size];
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleTree.InclusionProof(leaves, index);
                checkedCount++;
                if (!MerkleProofs.VerifyInclusion(leaves[index], index, size, Roots[size], proof))
                {
                    failures.Add((size, index));
                }
            }
        }

        // Assert
        Assert.Equal(MaxSize * (MaxSize + 1) / 2, checkedCount);
        Assert.Empty(failures);
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfSizesUpTo64_Verifies()
    {
        // Arrange
        var failures = new List<(int Old, int New)>();

        // Act
        for (var newSize = 1; newSize <= MaxSize; newSize++)
        {
            var leaves = Leaves[..newSize];
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var proof = MerkleTree.ConsistencyProof(leaves, oldSize);
                if (!MerkleProofs.VerifyConsistency(oldSize, newSize, Roots[oldSize], Roots[newSize], proof))
                {
                    failures.Add((oldSize, newSize));
                }
            }
        }

        // Assert
        Assert.Empty(failures);
    }

    [Property(MaxTest = 300)]
    public bool VerifyInclusion_AnyBitOfAnyProofHashFlipped_Fails(PositiveInt sizeSeed, NonNegativeInt indexSeed, NonNegativeInt elementSeed, byte bitSeed)
    {
        // Arrange
        var size = 2 + (sizeSeed.Get % (MaxSize - 1));
        var index = indexSeed.Get % size;
        var proof = MerkleTree.InclusionProof(Leaves[..size], index);
        var element = elementSeed.Get % proof.Count;
        proof[element] = Flip(proof[element], bitSeed);

        // Act
        var valid = MerkleProofs.VerifyInclusion(Leaves[index], index, size, Roots[size], proof);

        // Assert
        return !valid;
    }

    [Property(MaxTest = 300)]
    public bool VerifyInclusion_AnyBitOfRootOrLeafFlipped_Fails(PositiveInt sizeSeed, NonNegativeInt indexSeed, byte bitSeed, bool flipRoot)
    {
        // Arrange
        var size = 1 + (sizeSeed.Get % MaxSize);
        var index = indexSeed.Get % size;
        var proof = MerkleTree.InclusionProof(Leaves[..size], index);
        var root = flipRoot ? Flip(Roots[size], bitSeed) : Roots[size];
        var leaf = flipRoot ? Leaves[index] : Flip(Leaves[index], bitSeed);

        // Act
        var valid = MerkleProofs.VerifyInclusion(leaf, index, size, root, proof);

        // Assert
        return !valid;
    }

    [Property(MaxTest = 300)]
    public bool VerifyInclusion_OtherIndex_Fails(PositiveInt sizeSeed, NonNegativeInt indexSeed, NonNegativeInt otherSeed)
    {
        // Arrange
        var size = 2 + (sizeSeed.Get % (MaxSize - 1));
        var index = indexSeed.Get % size;
        var other = (index + 1 + (otherSeed.Get % (size - 1))) % size;
        var proof = MerkleTree.InclusionProof(Leaves[..size], index);

        // Act: the proof and leaf of `index`, claimed at `other`.
        var valid = MerkleProofs.VerifyInclusion(Leaves[index], other, size, Roots[size], proof);

        // Assert
        return other != index && !valid;
    }

    [Property(MaxTest = 500)]
    public bool VerifyInclusion_SizeWhoseAuditPathHasAnotherLength_Fails(PositiveInt sizeSeed, NonNegativeInt indexSeed, PositiveInt otherSeed)
    {
        // Arrange
        var size = 1 + (sizeSeed.Get % MaxSize);
        var index = indexSeed.Get % size;
        var other = 1 + (otherSeed.Get % (2 * MaxSize));
        var proof = MerkleTree.InclusionProof(Leaves[..size], index);
        var applies = index < other && MerkleTree.InclusionProof(Leaves[..other], index).Count != proof.Count;

        // Act
        var valid = MerkleProofs.VerifyInclusion(Leaves[index], index, other, Roots[size], proof);

        // Assert
        return !applies || !valid;
    }

    [Property(MaxTest = 300)]
    public bool VerifyConsistency_AnyBitOfAnyProofHashFlipped_Fails(PositiveInt newSeed, NonNegativeInt oldSeed, NonNegativeInt elementSeed, byte bitSeed)
    {
        // Arrange
        var newSize = 2 + (newSeed.Get % (MaxSize - 1));
        var oldSize = 1 + (oldSeed.Get % (newSize - 1));
        var proof = MerkleTree.ConsistencyProof(Leaves[..newSize], oldSize);
        var element = elementSeed.Get % proof.Count;
        proof[element] = Flip(proof[element], bitSeed);

        // Act
        var valid = MerkleProofs.VerifyConsistency(oldSize, newSize, Roots[oldSize], Roots[newSize], proof);

        // Assert
        return !valid;
    }

    [Property(MaxTest = 300)]
    public bool VerifyConsistency_AnyBitOfEitherRootFlipped_Fails(PositiveInt newSeed, NonNegativeInt oldSeed, byte bitSeed, bool flipOld)
    {
        // Arrange: old size 0 is excluded for the new root, which an empty old tree does not constrain.
        var newSize = 1 + (newSeed.Get % MaxSize);
        var oldSize = flipOld ? oldSeed.Get % (newSize + 1) : 1 + (oldSeed.Get % newSize);
        var proof = MerkleTree.ConsistencyProof(Leaves[..newSize], oldSize);
        var oldRoot = flipOld ? Flip(Roots[oldSize], bitSeed) : Roots[oldSize];
        var newRoot = flipOld ? Roots[newSize] : Flip(Roots[newSize], bitSeed);

        // Act
        var valid = MerkleProofs.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);

        // Assert
        return !valid;
    }

    [Property(MaxTest = 500)]
    public bool VerifyConsistency_SizesWhoseProofHasAnotherLength_Fail(PositiveInt newSeed, NonNegativeInt oldSeed, NonNegativeInt otherOldSeed, PositiveInt otherNewSeed)
    {
        // Arrange
        var newSize = 2 + (newSeed.Get % (MaxSize - 1));
        var oldSize = 1 + (oldSeed.Get % (newSize - 1));
        var proof = MerkleTree.ConsistencyProof(Leaves[..newSize], oldSize);
        var otherNew = 1 + (otherNewSeed.Get % (2 * MaxSize));
        var otherOld = otherOldSeed.Get % (otherNew + 1);
        var applies = MerkleTree.ConsistencyProof(Leaves[..otherNew], otherOld).Count != proof.Count;

        // Act
        var valid = MerkleProofs.VerifyConsistency(otherOld, otherNew, Roots[oldSize], Roots[newSize], proof);

        // Assert
        return !applies || !valid;
    }

    private static byte[] Flip(byte[] hash, byte bitSeed)
    {
        var copy = hash.ToArray();
        copy[(bitSeed / 8) % copy.Length] ^= (byte)(1 << (bitSeed % 8));
        return copy;
    }
}
