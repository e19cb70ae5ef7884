using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

/// <summary>
/// The archive log of protocol section 15: seven entries of every payload form and a correction and
/// retraction, their encodings and leaf hashes, the roots of every size, every inclusion and consistency
/// proof, and checkpoints (sizes 7 and 0) signed with a fixed log key, one cosigned by alice.
/// </summary>
internal static class ArchiveVectors
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_checkpointTime = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_cosignatureTime = new(2026, 11, 23, 10, 5, 0, TimeSpan.Zero);

    public static JsonObject Build()
    {
        var review = Fixtures.Review;
        var attachment = Encoding.ASCII.GetBytes("attachment ciphertext");
        (ArchiveEntryKind Kind, string? Inline, long? Target)[] specs =
        [
            (ArchiveEntryKind.EpochRecord, "epoch record 0", null),
            (ArchiveEntryKind.Envelope, "envelope 1", null),
            (ArchiveEntryKind.AttachmentCiphertext, null, null),
            (ArchiveEntryKind.StageChange, "stage: dialogue", null),
            (ArchiveEntryKind.Correction, "envelope 1, corrected", 1),
            (ArchiveEntryKind.Retraction, string.Empty, 2),
            (ArchiveEntryKind.Publication, "published summary", null),
        ];

        var store = new InMemoryMerkleNodeStore();
        var log = new MerkleLog(store);
        var entries = new JsonArray();
        var leafHashes = new List<byte[]>();
        for (var i = 0; i < specs.Length; i++)
        {
            var (kind, inline, target) = specs[i];
            var time = s_start.AddMinutes(i).AddMilliseconds(i);
            var entry = inline is null
                ? ArchiveEntry.CreateDigest(review, i, kind, time, SHA256.HashData(attachment), attachment.Length, target)
                : ArchiveEntry.Create(review, i, kind, time, Encoding.ASCII.GetBytes(inline), target);
            var encoded = entry.Encode();
            var leaf = entry.LeafHash();
            Checks.Equal(SHA256.HashData([0x00, .. encoded]), leaf, "leaf hash");
            Checks.That(ArchiveEntry.Decode(encoded).Value!.Encode().AsSpan().SequenceEqual(encoded), "entry round trip");
            Sync(log.AppendAsync(i, leaf));
            leafHashes.Add(leaf);

            var item = new JsonObject
            {
                ["index"] = i,
                ["kind"] = kind.ToString(),
                ["kind_byte"] = (int)kind,
                ["received_at_ms"] = time.ToUnixTimeMilliseconds(),
                ["target"] = target,
                ["form"] = inline is null ? "digest" : "inline",
            };
            if (inline is null)
            {
                item["payload"] = Json.Hex(attachment);
                item["payload_sha256"] = Json.Hex(SHA256.HashData(attachment));
                item["payload_length"] = attachment.Length;
            }
            else
            {
                item["payload"] = Json.Hex(Encoding.ASCII.GetBytes(inline));
            }

            item["encoded"] = Json.Hex(encoded);
            item["leaf_hash"] = Json.Hex(leaf);
            entries.Add(item);
        }

        var roots = new JsonArray();
        var inclusion = new JsonArray();
        var consistency = new JsonArray();
        var ranges = new JsonArray();
        for (var size = 0; size <= specs.Length; size++)
        {
            var root = Sync(log.GetRootAsync(size));
            Checks.Equal(MerkleTree.Root(leafHashes[..size]), root, "root");
            roots.Add(new JsonObject { ["size"] = size, ["root"] = Json.Hex(root) });
            for (var index = 0; index < size; index++)
            {
                var proof = Sync(log.GetInclusionProofAsync(index, size));
                Checks.That(MerkleProofs.VerifyInclusion(leafHashes[index], index, size, root, proof), "inclusion");
                inclusion.Add(new JsonObject { ["index"] = index, ["size"] = size, ["proof"] = Json.HexArray(proof) });
            }

            for (var oldSize = 0; oldSize <= size; oldSize++)
            {
                var proof = Sync(log.GetConsistencyProofAsync(oldSize, size));
                Checks.That(MerkleProofs.VerifyConsistency(oldSize, size, MerkleTree.Root(leafHashes[..oldSize]), root, proof), "consistency");
                consistency.Add(new JsonObject { ["old_size"] = oldSize, ["new_size"] = size, ["proof"] = Json.HexArray(proof) });
            }

            for (var start = 0; start < size; start++)
            {
                for (var end = start + 1; end <= size; end++)
                {
                    var proof = Sync(log.GetRangeProofAsync(start, end, size));
                    Checks.Equal(MerkleTree.RangeProof(leafHashes[..size], start, end).SelectMany(h => h).ToArray(), proof.SelectMany(h => h).ToArray(), "range proof");
                    Checks.That(MerkleRangeProofs.Verify(leafHashes[start..end], start, size, root, proof) == MerkleRangeError.None, "range");
                    ranges.Add(new JsonObject { ["start"] = start, ["end"] = end, ["size"] = size, ["proof"] = Json.HexArray(proof) });
                }
            }
        }

        var seed = Fixtures.Pattern(0xd0, 32);
        using var signer = CheckpointSigner.FromSeed(seed);
        var origin = ArchiveOrigin.ForReview(review);
        var keys = new ArchiveKeyRing([signer.LogKey()]);

        var checkpoint = signer.Sign(origin, specs.Length, Sync(log.GetRootAsync(specs.Length)), s_checkpointTime);
        Checks.That(checkpoint.Verify(keys, origin).IsSuccess, "checkpoint verifies");
        var empty = signer.Sign(origin, 0, MerkleHash.EmptyRoot(), s_checkpointTime);
        Checks.That(empty.Verify(keys, origin).IsSuccess, "empty checkpoint verifies");

        using var alice = Fixtures.Identity("alice");
        var cosigned = CheckpointSigner.Cosign(alice, checkpoint, s_cosignatureTime);
        var cosigner = CosignerKey.ForDevice(alice.PublicKeys);
        Checks.That(cosigned.Verify(keys.WithCosigners([cosigner]), origin).Value!.Cosignatures.Count == 1, "cosignature verifies");
        var timestampMessage = $"cosignature/v1\ntime {s_checkpointTime.ToUnixTimeSeconds()}\n{checkpoint.Body}";
        var cosignatureMessage = $"cosignature/v1\ntime {s_cosignatureTime.ToUnixTimeSeconds()}\n{checkpoint.Body}";
        Checks.That(Ed25519.Verify(signer.PublicKey, Encoding.UTF8.GetBytes(timestampMessage), checkpoint.Signatures[1].Signature[8..]), "timestamp message");

        return new JsonObject
        {
            ["description"] = "Archive log of one review (protocol section 15): entry encodings and RFC 9162 leaf hashes, roots of sizes 0..7, every inclusion, consistency and range proof (section 16.3, RANGE), checkpoints as C2SP signed notes with the log's Ed25519 signature (type 0x01) and timestamp (tlog-cosignature/v1, type 0x04), and alice's cosignature. Times in checkpoints are Unix seconds.",
            ["review"] = review.ToString("D"),
            ["origin"] = origin,
            ["entries"] = entries,
            ["roots"] = roots,
            ["inclusion_proofs"] = inclusion,
            ["consistency_proofs"] = consistency,
            ["range_proofs"] = ranges,
            ["log_key"] = new JsonObject
            {
                ["name"] = signer.KeyName,
                ["seed"] = Json.Hex(seed),
                ["public_key"] = Json.Hex(signer.PublicKey),
                ["note_key_id"] = signer.NoteKeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                ["timestamp_key_id"] = signer.TimestampKeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                ["verifier_key"] = signer.LogKey().VerifierKey,
            },
            ["checkpoint"] = new JsonObject
            {
                ["tree_size"] = specs.Length,
                ["time_s"] = s_checkpointTime.ToUnixTimeSeconds(),
                ["body"] = checkpoint.Body,
                ["timestamp_message"] = timestampMessage,
                ["text"] = checkpoint.Text,
            },
            ["empty_checkpoint"] = new JsonObject
            {
                ["time_s"] = s_checkpointTime.ToUnixTimeSeconds(),
                ["body"] = empty.Body,
                ["text"] = empty.Text,
            },
            ["cosignature"] = new JsonObject
            {
                ["device"] = "alice",
                ["key_name"] = cosigner.Name,
                ["key_id"] = cosigner.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                ["time_s"] = s_cosignatureTime.ToUnixTimeSeconds(),
                ["message"] = cosignatureMessage,
                ["text"] = cosigned.Text,
            },
        };
    }

    private static T Sync<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void Sync(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
