using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.TestVectors;

/// <summary>
/// A sealed bundle (protocol section 17) of the fixture review: alice's epoch records 0 and 1, bob's two envelopes (from
/// epoch-records.json and envelopes.json), a stage change, an attachment ciphertext with its bytes inside, and alice's
/// cosignature of the checkpoint of size 6; a checkpoint for every size 1 to 7, signed with the archive vectors' log
/// key; device cards of alice, bob and carol. Every byte of the bundle is given, with the header, the seal's body and digest;
/// and (<c>summary_form</c>) the same bundle of a log of summaries, with the envelopes in Envelope records beside them.
/// </summary>
internal static class BundleVectors
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 23, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_sealed = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static JsonObject Build(JsonObject epochRecords, JsonObject envelopes)
    {
        var review = Fixtures.Review;
        var origin = ArchiveOrigin.ForReview(review);
        var seed = Fixtures.Pattern(0xd0, 32);
        using var signer = CheckpointSigner.FromSeed(seed);
        using var alice = Fixtures.Identity("alice");
        using var bob = Fixtures.Identity("bob");
        using var carol = Fixtures.Identity("carol");
        var records = epochRecords["records"]!.AsArray().Select(r => Convert.FromHexString((string)r!["encoded"]!)).ToArray();
        var sealedEnvelopes = envelopes["envelopes"]!.AsArray().Select(e => Convert.FromHexString((string)e!["envelope"]!)).ToArray();
        var ciphertext = Encoding.ASCII.GetBytes("attachment ciphertext (opaque bytes in this vector)");
        var blobId = AttachmentCiphertextHash.Compute(ciphertext);

        var cards = new[] { alice.PublicKeys, bob.PublicKeys, carol.PublicKeys };
        var (entries, checkpoints, header, written, bundle) = Make(summaries: false);

        // The same log as a log of summaries records it (16.2.1): entries 1 and 4 hold the envelopes' summaries, and the
        // bundle carries each envelope in an Envelope record right after its entry (17.1).
        var (summaryEntries, summaryCheckpoints, _, summaryWritten, summaryBundle) = Make(summaries: true);

        (List<ArchiveEntry>, List<SignedCheckpoint>, BundleHeader, BundleWritten, byte[]) Make(bool summaries)
        {
            var entries = new List<ArchiveEntry>();
            var checkpoints = new List<SignedCheckpoint>();
            var frontier = new MerkleFrontier();
            void Append(ArchiveEntry entry)
            {
                entries.Add(entry);
                frontier.Append(entry.LeafHash());
                checkpoints.Add(signer.Sign(origin, frontier.Size, frontier.Root(), s_start.AddMinutes(30).AddSeconds(frontier.Size)));
            }

            byte[] Logged(byte[] envelope) => summaries ? EnvelopeSummary.Of(Envelope.Decode(envelope).Value!).Encode() : envelope;
            DateTimeOffset Time(int index) => s_start.AddMinutes(index);
            Append(ArchiveEntry.Create(review, 0, ArchiveEntryKind.EpochRecord, Time(0), records[0]));
            Append(ArchiveEntry.Create(review, 1, ArchiveEntryKind.Envelope, Time(1), Logged(sealedEnvelopes[0])));
            Append(ArchiveEntry.Create(review, 2, ArchiveEntryKind.StageChange, Time(2), "stage: dialogue"u8));
            Append(ArchiveEntry.Create(review, 3, ArchiveEntryKind.EpochRecord, Time(3), records[1]));
            Append(ArchiveEntry.Create(review, 4, ArchiveEntryKind.Envelope, Time(4), Logged(sealedEnvelopes[1])));
            Append(ArchiveEntry.CreateDigest(review, 5, ArchiveEntryKind.AttachmentCiphertext, Time(5), SHA256.HashData(ciphertext), ciphertext.Length));
            var cosigned = CheckpointSigner.Cosign(alice, checkpoints[^1], s_start.AddMinutes(45));
            checkpoints[^1] = cosigned;
            Append(ArchiveEntry.Create(review, 6, ArchiveEntryKind.Cosignature, Time(6), cosigned.Encode()));

            var header = new BundleHeader(review, s_sealed, BundleAttachmentMode.Ciphertexts, entries.Count, [signer.LogKey()], cards.Length, 0, checkpoints.Count);
            using var output = new MemoryStream();
            var writer = Sync(BundleWriter.CreateAsync(output, header, signer));
            foreach (var card in cards)
            {
                Sync(writer.WriteDeviceCardAsync(card));
            }

            foreach (var checkpoint in checkpoints)
            {
                Sync(writer.WriteCheckpointAsync(checkpoint));
            }

            foreach (var entry in entries)
            {
                if (BundleFormat.IsSummaryEnvelopeEntry(entry))
                {
                    Sync(writer.WriteEnvelopeEntryAsync(entry, Envelope.Decode(sealedEnvelopes[entry.Index == 1 ? 0 : 1]).Value!));
                }
                else
                {
                    Sync(writer.WriteEntryAsync(entry, entry.Index == 5 ? new BundleAttachment(blobId, new MemoryStream(ciphertext)) : null));
                }
            }

            var written = Sync(writer.CompleteAsync());
            var bundle = output.ToArray();
            var verification = Sync(BundleVerifier.VerifyAsync(new MemoryStream(bundle), new BundleVerifierOptions { TrustedLogKeys = [signer.LogKey()] }));
            Checks.That(verification.IsValid, "bundle verifies");
            Checks.That(verification.Summary!.EnvelopesBeside == (summaries ? 2 : 0), "envelopes beside summaries");
            Checks.Equal(SHA256.HashData(bundle.AsSpan(0, bundle.Length - BundleFormat.FrameSize - BundleFormat.SealSize)), written.SealDigest, "seal digest");
            return (entries, checkpoints, header, written, bundle);
        }

        var sealBody = BundleFormat.SealBody(origin, entries.Count, written.SealDigest);

        return new JsonObject
        {
            ["description"] = "A sealed bundle (protocol section 17): magic, header, 3 device cards, 7 checkpoints (one per size, the size-6 one cosigned by alice), 7 entries (epoch records and envelopes of epoch-records.json and envelopes.json, a stage change, an attachment ciphertext followed by its attachment record, alice's cosignature), and the seal signed by the log key of archive-vectors.json. Hex unless noted; times in ms.",
            ["review"] = review.ToString("D"),
            ["origin"] = origin,
            ["log_key_seed"] = Json.Hex(seed),
            ["log_key_verifier_key"] = signer.LogKey().VerifierKey,
            ["created_at_ms"] = s_sealed.ToUnixTimeMilliseconds(),
            ["attachment_mode"] = (int)BundleAttachmentMode.Ciphertexts,
            ["header"] = Json.Hex(header.Encode()),
            ["device_cards"] = Json.HexArray(cards.Select(c => c.Encode())),
            ["checkpoints"] = new JsonArray([.. checkpoints.Select(c => (JsonNode)c.Text)]),
            ["entries"] = Json.HexArray(entries.Select(e => e.Encode())),
            ["attachment"] = new JsonObject { ["entry"] = 5, ["blob_id"] = Json.Hex(blobId), ["ciphertext"] = Json.Hex(ciphertext) },
            ["root"] = Json.Hex(written.Root),
            ["seal_digest"] = Json.Hex(written.SealDigest),
            ["seal_body"] = sealBody,
            ["bundle"] = Json.Hex(bundle),
            ["bundle_sha256"] = Json.Hex(SHA256.HashData(bundle)),
            ["summary_form"] = new JsonObject
            {
                ["description"] = "The same bundle of a log that records envelopes by their summary (protocol 16.2.1, 17.1): entries 1 and 4 hold the summaries of the two envelopes, each entry followed by an Envelope record (type 0x07) with the envelope's encoding; same header and cards, its own checkpoints.",
                ["checkpoints"] = new JsonArray([.. summaryCheckpoints.Select(c => (JsonNode)c.Text)]),
                ["entries"] = Json.HexArray(summaryEntries.Select(e => e.Encode())),
                ["envelopes"] = new JsonObject { ["1"] = Json.Hex(sealedEnvelopes[0]), ["4"] = Json.Hex(sealedEnvelopes[1]) },
                ["root"] = Json.Hex(summaryWritten.Root),
                ["seal_digest"] = Json.Hex(summaryWritten.SealDigest),
                ["seal_body"] = BundleFormat.SealBody(origin, summaryEntries.Count, summaryWritten.SealDigest),
                ["bundle"] = Json.Hex(summaryBundle),
                ["bundle_sha256"] = Json.Hex(SHA256.HashData(summaryBundle)),
            },
        };
    }

    private static T Sync<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Sync(Task task) => task.GetAwaiter().GetResult();
}
