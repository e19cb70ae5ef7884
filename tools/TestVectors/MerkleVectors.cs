using System.Text.Json.Nodes;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.TestVectors;

internal static class MerkleVectors
{
    // The eight leaves of the Certificate Transparency reference tests (RFC 6962 / RFC 9162 implementations).
    private static readonly string[] s_ctLeaves =
    [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ];

    public static JsonObject Build()
    {
        var leaves = s_ctLeaves.Select(Convert.FromHexString).ToArray();
        var leafHashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
        var roots = new JsonArray();
        for (var size = 0; size <= leaves.Length; size++)
        {
            roots.Add(new JsonObject { ["size"] = size, ["root"] = Json.Hex(MerkleTree.Root(leafHashes[..size])) });
        }

        return new JsonObject
        {
            ["description"] = "RFC 9162 Merkle trees (SHA-256, leaf = H(0x00 || data), node = H(0x01 || left || right), empty = H()). 'reference' uses the eight leaves of the Certificate Transparency test suite; 'segment_tree' is the commitment tree of the three-segment envelope in envelopes.json.",
            ["reference"] = Tree(leaves, leafHashes, roots),
            ["segment_tree"] = SegmentTree(),
        };
    }

    private static JsonObject Tree(byte[][] leaves, byte[][] leafHashes, JsonArray roots)
    {
        var inclusion = new JsonArray();
        var consistency = new JsonArray();
        for (var size = 1; size <= leafHashes.Length; size++)
        {
            var tree = leafHashes[..size];
            var root = MerkleTree.Root(tree);
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleTree.InclusionProof(tree, index);
                Checks.That(MerkleProofs.VerifyInclusion(tree[index], index, size, root, proof), "inclusion proof verifies");
                inclusion.Add(new JsonObject { ["index"] = index, ["size"] = size, ["proof"] = Json.HexArray(proof) });
            }

            for (var oldSize = 1; oldSize <= size; oldSize++)
            {
                var proof = MerkleTree.ConsistencyProof(tree, oldSize);
                Checks.That(MerkleProofs.VerifyConsistency(oldSize, size, MerkleTree.Root(tree[..oldSize]), root, proof), "consistency proof verifies");
                consistency.Add(new JsonObject { ["old_size"] = oldSize, ["new_size"] = size, ["proof"] = Json.HexArray(proof) });
            }
        }

        return new JsonObject
        {
            ["leaves"] = Json.HexArray(leaves),
            ["leaf_hashes"] = Json.HexArray(leafHashes),
            ["roots"] = roots,
            ["inclusion_proofs"] = inclusion,
            ["consistency_proofs"] = consistency,
        };
    }

    private static JsonObject SegmentTree()
    {
        var spec = Fixtures.Envelopes.Single(e => e.Name == "three-segments");
        var saltKey = spec.Random.AsSpan(0, SegmentCommitments.SaltKeySize).ToArray();
        var leafHashes = SegmentCommitments.LeafHashes(saltKey, spec.Segments);
        var root = MerkleTree.Root(leafHashes);
        var inclusion = new JsonArray();
        for (var index = 0; index < leafHashes.Length; index++)
        {
            var proof = MerkleTree.InclusionProof(leafHashes, index);
            Checks.That(MerkleProofs.VerifyInclusion(leafHashes[index], index, leafHashes.Length, root, proof), "segment inclusion proof verifies");
            inclusion.Add(new JsonObject
            {
                ["index"] = index,
                ["salt"] = Json.Hex(SegmentCommitments.Salt(saltKey, index)),
                ["leaf_hash"] = Json.Hex(leafHashes[index]),
                ["proof"] = Json.HexArray(proof),
            });
        }

        return new JsonObject
        {
            ["envelope"] = spec.Name,
            ["leaf_hashes"] = Json.HexArray(leafHashes),
            ["root"] = Json.Hex(root),
            ["inclusion_proofs"] = inclusion,
        };
    }
}
