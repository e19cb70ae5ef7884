using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Merkle;

/// <summary>
/// The reference tree of Certificate Transparency, as published in transparency-dev/merkle,
/// proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472; the same leaves and roots are in
/// google/certificate-transparency's merkle tree tests): eight leaves, the roots of every prefix, and audit
/// and consistency paths. Leaf numbers there are 1-based; indices here are 0-based.
/// </summary>
public sealed class MerkleReferenceTests
{
    internal static readonly byte[][] LeafData =
    [
        [],
        Hex.Decode("00"),
        Hex.Decode("10"),
        Hex.Decode("2021"),
        Hex.Decode("3031"),
        Hex.Decode("40414243"),
        Hex.Decode("5051525354555657"),
        Hex.Decode("606162636465666768696a6b6c6d6e6f"),
    ];

    // Roots of the trees of 0 to 8 leaves; size 0 is SHA-256 of the empty string.
    internal static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<int, int, string[]> InclusionVectors => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 1, [] },
    };

    public static TheoryData<int, int, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    public static TheoryData<int, int, string[]> NonTrivialConsistencyVectors
    {
        get
        {
            var data = new TheoryData<int, int, string[]>();
            foreach (var row in ConsistencyVectors)
            {
                if (((string[])row[2]).Length > 0)
                {
                    data.Add((int)row[0], (int)row[1], (string[])row[2]);
                }
            }

            return data;
        }
    }

    private static readonly byte[] SomeHash = Hex.Decode("abacaba000000000000000000000000000000000000000000060061e00123456");

    internal static byte[][] LeafHashes(int count) => [.. LeafData.Take(count).Select(d => MerkleHash.Leaf(d))];

    private static byte[] Root(int size) => Hex.Decode(Roots[size]);

    [Fact]
    public void EmptyRoot_Always_IsSha256OfTheEmptyString()
    {
        // Arrange
        var expected = Roots[0];

        // Act
        var root = MerkleHash.EmptyRoot();

        // Assert
        Assert.Equal(expected, Hex.Encode(root));
    }

    [Fact]
    public void Root_EveryPrefixOfTheReferenceLeaves_MatchesPublishedRoot()
    {
        // Arrange
        var computed = new List<string>();

        // Act
        for (var size = 0; size <= LeafData.Length; size++)
        {
            computed.Add(Hex.Encode(MerkleTree.Root(LeafHashes(size))));
        }

        // Assert
        Assert.Equal(Roots, computed);
    }

    [Fact]
    public void Node_TwoLeaves_HashesWithInteriorPrefix()
    {
        // Arrange
        var left = MerkleHash.Leaf(LeafData[0]);
        var right = MerkleHash.Leaf(LeafData[1]);

        // Act
        var node = MerkleHash.Node(left, right);

        // Assert
        Assert.Equal(Roots[2], Hex.Encode(node));
        Assert.Equal(Hex.Encode(System.Security.Cryptography.SHA256.HashData([0x01, .. left, .. right])), Hex.Encode(node));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void InclusionProof_ReferenceTree_MatchesPublishedAuditPath(int index, int size, string[] expected)
    {
        // Arrange
        var leaves = LeafHashes(size);

        // Act
        var proof = MerkleTree.InclusionProof(leaves, index);

        // Assert
        Assert.Equal(expected, proof.Select(p => Hex.Encode(p)));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void VerifyInclusion_PublishedAuditPath_Succeeds(int index, int size, string[] proof)
    {
        // Arrange
        var leaf = MerkleHash.Leaf(LeafData[index]);
        var path = proof.Select(Hex.Decode).ToList();

        // Act
        var valid = MerkleProofs.VerifyInclusion(leaf, index, size, Root(size), path);

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void VerifyInclusion_CorruptedProbesOfPublishedPath_AllFail(int index, int size, string[] proof)
    {
        // Arrange: the probes of transparency-dev's corruptInclusionProof.
        var leaf = MerkleHash.Leaf(LeafData[index]);
        var root = Root(size);
        var path = proof.Select(Hex.Decode).ToList();
        var probes = new List<(string Name, long Index, long Size, byte[] Leaf, byte[] Root, List<byte[]> Proof)>
        {
            ("index - 1", index - 1, size, leaf, root, path),
            ("index + 1", index + 1, size, leaf, root, path),
            ("index ^ 2", index ^ 2, size, leaf, root, path),
            ("size * 2", index, size * 2, leaf, root, path),
            ("size / 2", index, size / 2, leaf, root, path),
            ("wrong leaf", index, size, "WrongLeaf"u8.ToArray(), root, path),
            ("other leaf", index, size, MerkleHash.Leaf("WrongLeaf"u8), root, path),
            ("empty root", index, size, leaf, Root(0), path),
            ("random root", index, size, leaf, SomeHash, path),
            ("trailing garbage", index, size, leaf, root, [.. path, []]),
            ("trailing root", index, size, leaf, root, [.. path, root]),
            ("preceding garbage", index, size, leaf, root, [[], .. path]),
            ("preceding root", index, size, leaf, root, [root, .. path]),
        };
        for (var i = 0; i < path.Count; i++)
        {
            var modified = path.Select(p => p.ToArray()).ToList();
            modified[i][0] ^= 8;
            probes.Add(($"proof[{i}] bit 3", index, size, leaf, root, modified));
        }

        if (path.Count > 0)
        {
            probes.Add(("removed component", index, size, leaf, root, path[..^1]));
        }

        if (path.Count > 1)
        {
            probes.Add(("inserted component", index, size, leaf, root, [path[0], SomeHash, .. path[1..]]));
        }

        // Act
        var accepted = probes.Where(p => MerkleProofs.VerifyInclusion(p.Leaf, p.Index, p.Size, p.Root, p.Proof)).Select(p => p.Name).ToList();

        // Assert
        Assert.Empty(accepted);
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void ConsistencyProof_ReferenceTree_MatchesPublishedPath(int oldSize, int newSize, string[] expected)
    {
        // Arrange
        var leaves = LeafHashes(newSize);

        // Act
        var proof = MerkleTree.ConsistencyProof(leaves, oldSize);

        // Assert
        Assert.Equal(expected, proof.Select(p => Hex.Encode(p)));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void VerifyConsistency_PublishedPath_Succeeds(int oldSize, int newSize, string[] proof)
    {
        // Arrange
        var path = proof.Select(Hex.Decode).ToList();

        // Act
        var valid = MerkleProofs.VerifyConsistency(oldSize, newSize, Root(oldSize), Root(newSize), path);

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(NonTrivialConsistencyVectors))]
    public void VerifyConsistency_CorruptedProbesOfPublishedPath_AllFail(int oldSize, int newSize, string[] proof)
    {
        // Arrange: the probes of transparency-dev's corruptConsistencyProof (it probes non-empty proofs only).
        var path = proof.Select(Hex.Decode).ToList();
        var r1 = Root(oldSize);
        var r2 = Root(newSize);
        var probes = new List<(string Name, long Old, long New, byte[] R1, byte[] R2, List<byte[]> Proof)>
        {
            ("size1 - 1", oldSize - 1, newSize, r1, r2, path),
            ("size1 + 1", oldSize + 1, newSize, r1, r2, path),
            ("size1 ^ 2", oldSize ^ 2, newSize, r1, r2, path),
            ("size2 * 2", oldSize, newSize * 2, r1, r2, path),
            ("size2 / 2", oldSize, newSize / 2, r1, r2, path),
            ("wrong root1", oldSize, newSize, "WrongRoot"u8.ToArray(), r2, path),
            ("wrong root2", oldSize, newSize, r1, "WrongRoot"u8.ToArray(), path),
            ("other root2", oldSize, newSize, r1, SomeHash, path),
            ("swapped roots", oldSize, newSize, r2, r1, path),
            ("trailing garbage", oldSize, newSize, r1, r2, [.. path, []]),
            ("trailing root1", oldSize, newSize, r1, r2, [.. path, r1]),
            ("trailing root2", oldSize, newSize, r1, r2, [.. path, r2]),
            ("preceding garbage", oldSize, newSize, r1, r2, [[], .. path]),
            ("preceding root1", oldSize, newSize, r1, r2, [r1, .. path]),
            ("preceding root2", oldSize, newSize, r1, r2, [r2, .. path]),
            ("empty proof", oldSize, newSize, r1, r2, []),
            ("preceding proof[0]", oldSize, newSize, r1, r2, [path[0], .. path]),
            ("truncated proof", oldSize, newSize, r1, r2, path[..^1]),
        };

        for (var i = 0; i < path.Count; i++)
        {
            var modified = path.Select(p => p.ToArray()).ToList();
            modified[i][0] ^= 16;
            probes.Add(($"proof[{i}] bit 4", oldSize, newSize, r1, r2, modified));
        }

        // Act
        var accepted = probes.Where(p => MerkleProofs.VerifyConsistency(p.Old, p.New, p.R1, p.R2, p.Proof)).Select(p => p.Name).ToList();

        // Assert
        Assert.Empty(accepted);
    }
}
