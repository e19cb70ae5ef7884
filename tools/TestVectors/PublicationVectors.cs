using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.TestVectors;

/// <summary>
/// A publication record (protocol section 18): bob's questionnaire response of four segments (a text, a short
/// answer the State withholds, an answer to UNTOC-5.1 and a document), logged at index 1 of a three-entry archive,
/// checkpoint signed by the log key of archive-vectors.json and cosigned by alice, published by alice with three
/// segments and the document disclosed. Every intermediate, and tampered records with the failures they must give.
/// </summary>
internal static class PublicationVectors
{
    public const string Document = "Loi n° 2019-222 du 23 mars 2019 — article 5 : la participation à un groupe criminel organisé est punie.\n";

    private static readonly DateTimeOffset s_created = new(2026, 11, 23, 10, 30, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_received = new(2026, 11, 23, 10, 30, 1, 500, TimeSpan.Zero);
    private static readonly DateTimeOffset s_checkpointTime = new(2026, 11, 23, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_cosignatureTime = new(2026, 11, 23, 11, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_published = new(2026, 12, 1, 9, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] s_disclosed = [0, 2, 3];

    public static JsonObject Build()
    {
        var documentBytes = Encoding.UTF8.GetBytes(Document);
        var manifest = Manifest(documentBytes);
        var spec = new EnvelopeSpec(
            "publication-item", "bob", 1, 3, Guid.Parse("0195f0a2-7c41-7d3e-8a6b-3c2d1e0f9a8d"), ItemKind.QuestionnaireResponse, LanguageTag.French, s_created,
            [
                Segment.Text("Le point focal transmet les réponses de la Partie examinée."),
                Segment.Text("Oui"),
                Segment.QuestionnaireAnswer("UNTOC-5.1", "L'article 5 est transposé par la loi n° 2019-222."),
                Segment.FileReference(manifest),
            ],
            [.. Fixtures.Pattern(0x31, 32), .. Fixtures.Pattern(0xb1, 32)]);
        var envelope = EnvelopeVectors.Seal(spec);
        var otherSpec = Fixtures.Envelopes[1];
        var other = EnvelopeVectors.Seal(otherSpec);

        using var bob = Fixtures.Identity("bob");
        using var alice = Fixtures.Identity("alice");
        var item = new OpenedEnvelope(envelope, bob.PublicKeys, spec.Segments, spec.Random[..32]);

        // The archive: the other item, this item, a stage change.
        var review = Fixtures.Review;
        ArchiveEntry[] entries =
        [
            EnvelopeSummary.Of(other).ToArchiveEntry(0, s_received.AddMinutes(-20)),
            EnvelopeSummary.Of(envelope).ToArchiveEntry(1, s_received),
            ArchiveEntry.Create(review, 2, ArchiveEntryKind.StageChange, s_received.AddMinutes(5), Encoding.ASCII.GetBytes("stage: dialogue")),
        ];
        var leaves = entries.Select(e => e.LeafHash()).ToList();
        var root = MerkleTree.Root(leaves);
        var seed = Fixtures.Pattern(0xd0, 32);
        using var log = CheckpointSigner.FromSeed(seed);
        var checkpoint = CheckpointSigner.Cosign(alice, log.Sign(ArchiveOrigin.ForReview(review), entries.Length, root, s_checkpointTime), s_cosignatureTime);
        var proof = MerkleTree.InclusionProof(leaves, 1);

        var builder = new PublicationBuilder(item)
        {
            Audience = PublicationAudience.Public,
            AuthorState = StateCode.Parse("AUT"),
            PublisherState = StateCode.Parse("AUT"),
        }.WithArchive(1, s_received, proof, checkpoint, [alice.PublicKeys]).AddDocument(3, documentBytes);
        foreach (var index in s_disclosed)
        {
            builder.Disclose(index);
        }

        var record = builder.Build(alice, s_published);
        var trust = new PublicationTrust(new ArchiveKeyRing([log.LogKey()], [CosignerKey.ForDevice(alice.PublicKeys)])) { MinimumCosignatures = 1 };
        var verified = PublicationVerifier.Verify(record.Encoded.Span, trust);
        Checks.That(verified.IsValid, "the record verifies: " + string.Join(", ", verified.Problems));

        // The same publication against a log that records whole envelopes: the record carries the ciphertext.
        var wholeEntry = ArchiveEntry.Create(review, 1, ArchiveEntryKind.Envelope, s_received, envelope.Encoded.Span);
        List<byte[]> wholeLeaves = [leaves[0], wholeEntry.LeafHash(), leaves[2]];
        var wholeCheckpoint = log.Sign(ArchiveOrigin.ForReview(review), entries.Length, MerkleTree.Root(wholeLeaves), s_checkpointTime);
        var wholeBuilder = new PublicationBuilder(item)
        {
            Audience = PublicationAudience.Public,
            AuthorState = StateCode.Parse("AUT"),
            PublisherState = StateCode.Parse("AUT"),
        }.WithArchive(wholeEntry, MerkleTree.InclusionProof(wholeLeaves, 1), wholeCheckpoint).AddDocument(3, documentBytes);
        foreach (var index in s_disclosed)
        {
            wholeBuilder.Disclose(index);
        }

        var wholeRecord = wholeBuilder.Build(alice, s_published);
        Checks.That(wholeRecord.Archive.Form == EnvelopeEntryForm.WholeEnvelope, "whole-envelope form recognised");
        Checks.That(PublicationVerifier.Verify(wholeRecord.Encoded.Span, trust with { MinimumCosignatures = 0 }).IsValid, "the whole-envelope record verifies");

        var summary = EnvelopeSummary.Of(envelope);
        var commitments = SegmentCommitments.LeafHashes(spec.Random.AsSpan(0, 32), spec.Segments);
        var entry = entries[1].Encode();
        var signedPart = record.Encoded.Span[..record.SignedLength].ToArray();
        Checks.Equal(MerkleTree.Root(commitments), envelope.Header.CommitmentRoot.Span, "commitment root");

        var disclosed = new JsonArray();
        foreach (var index in s_disclosed)
        {
            var salt = item.SegmentSalt(index);
            disclosed.Add(new JsonObject
            {
                ["index"] = index,
                ["kind"] = (int)spec.Segments[index].Kind,
                ["salt"] = Json.Hex(salt),
                ["content"] = Json.Hex(spec.Segments[index].Content.Span),
                ["leaf_hash"] = Json.Hex(commitments[index]),
            });
        }

        var plaintextHash = new byte[32];
        Blake2b.Hash(ProtocolConstants.AttachmentPlaintextHashPersonal, documentBytes, plaintextHash);

        return new JsonObject
        {
            ["description"] = "A publication record (protocol section 18) and tampered copies. The item is bob's envelope of epoch 1 (four segments; segment 1, the short answer \"Oui\", is withheld), logged at index 1 of a three-entry review log whose checkpoint is signed by the log key of archive-vectors.json and cosigned by alice; alice publishes it to the public with segments 0, 2 and 3 and the document of segment 3. Verify with the log key (trusted) and alice's cosigner key; every variant must give exactly its listed problems.",
            ["review"] = review.ToString("D"),
            ["inputs"] = new JsonObject
            {
                ["envelope"] = Json.Hex(envelope.Encoded.Span),
                ["salt_key"] = Json.Hex(spec.Random.AsSpan(0, 32)),
                ["author"] = "bob",
                ["publisher"] = "alice",
                ["disclosed"] = new JsonArray([.. s_disclosed.Select(i => (JsonNode)i)]),
                ["audience"] = (int)PublicationAudience.Public,
                ["author_state"] = "AUT",
                ["publisher_state"] = "AUT",
                ["published_at_ms"] = s_published.ToUnixTimeMilliseconds(),
                ["document_segment"] = 3,
                ["document"] = Json.Hex(documentBytes),
                ["other_envelope"] = Json.Hex(other.Encoded.Span),
                ["other_salt_key"] = Json.Hex(otherSpec.Random.AsSpan(0, 32)),
                ["archive_entries"] = new JsonArray([.. entries.Select(e => (JsonNode)Json.Hex(e.Encode()))]),
                ["log_key_seed"] = Json.Hex(seed),
                ["log_verifier_key"] = log.LogKey().VerifierKey,
                ["cosigner_verifier_key"] = CosignerKey.ForDevice(alice.PublicKeys).VerifierKey,
                ["checkpoint_time_s"] = s_checkpointTime.ToUnixTimeSeconds(),
                ["cosignature_time_s"] = s_cosignatureTime.ToUnixTimeSeconds(),
            },
            ["intermediates"] = new JsonObject
            {
                ["envelope_summary"] = Json.Hex(summary.Encode()),
                ["ciphertext_hash"] = Json.Hex(summary.CiphertextHash),
                ["commitments"] = Json.HexArray(commitments),
                ["commitment_root"] = Json.Hex(envelope.Header.CommitmentRoot.Span),
                ["disclosed"] = disclosed,
                ["manifest"] = Json.Hex(manifest),
                ["document_plaintext_hash"] = Json.Hex(plaintextHash),
                ["archive_entry"] = Json.Hex(entry),
                ["archive_leaf_hash"] = Json.Hex(MerkleHash.Leaf(entry)),
                ["archive_root"] = Json.Hex(root),
                ["inclusion_proof"] = Json.HexArray(proof),
                ["checkpoint"] = Encoding.UTF8.GetString(record.Archive.Checkpoint.Span),
                ["signed_part"] = Json.Hex(signedPart),
                ["publisher_signature"] = Json.Hex(record.PublisherSignature),
            },
            ["record"] = Json.Hex(record.Encoded.Span),
            ["whole_envelope"] = new JsonObject
            {
                ["description"] = "The same publication against a log whose Envelope entry 1 is the whole envelope (section 16.2): entry form 0, the record carries the ciphertext. Verify with the log key only (no cosignature).",
                ["archive_entry"] = Json.Hex(wholeEntry.Encode()),
                ["checkpoint"] = wholeCheckpoint.Text,
                ["record"] = Json.Hex(wholeRecord.Encoded.Span),
            },
            ["variants"] = Variants(record, trust, alice, otherSpec, entries, leaves, wholeRecord),
        };
    }

    private static JsonArray Variants(
        PublicationRecord record, PublicationTrust trust, DeviceIdentity alice, EnvelopeSpec otherSpec, ArchiveEntry[] entries, List<byte[]> leaves,
        PublicationRecord wholeRecord)
    {
        var variants = new JsonArray();
        void Add(string name, string description, byte[] bytes, PublicationTrust? with = null)
        {
            var result = PublicationVerifier.Verify(bytes, with ?? trust);
            Checks.That(!result.IsValid, $"variant {name} is invalid");
            variants.Add(new JsonObject
            {
                ["name"] = name,
                ["description"] = description,
                ["record"] = Json.Hex(bytes),
                ["required_cosignatures"] = (with ?? trust).MinimumCosignatures,
                ["problems"] = new JsonArray([.. result.Problems.Select(p => (JsonNode)new JsonObject
                {
                    ["failure"] = p.Failure.ToString(),
                    ["segment"] = p.Segment,
                    ["other_segment"] = p.OtherSegment,
                })]),
            });
        }

        var raw = record.Encoded.ToArray();
        var at = raw.AsSpan().IndexOf("transmet"u8);
        raw[at] = (byte)'T';
        Add("altered-text", "one letter of disclosed segment 0 changed in the file", raw);

        var altered = record.Disclosed.Select(d => d.Index == 0 ? d with { Segment = Segment.Text("Le point focal ne transmet pas les réponses de la Partie examinée.") } : d).ToList();
        Add("altered-text-resigned", "segment 0 rewritten and the record re-signed by the publisher", Forge(record, alice, disclosed: altered));

        DisclosedSegment[] swapped = [record.Disclosed[1] with { Index = 0 }, record.Disclosed[0] with { Index = 2 }, record.Disclosed[2]];
        Add("swapped-segments", "disclosed segments 0 and 2 exchanged, each with its salt, re-signed", Forge(record, alice, disclosed: swapped));

        var otherSalt = SegmentCommitments.Salt(otherSpec.Random.AsSpan(0, 32), 0);
        DisclosedSegment[] foreign = [new DisclosedSegment(0, otherSpec.Segments[0], otherSalt), record.Disclosed[1], record.Disclosed[2]];
        Add("segment-of-another-item", "segment 0 of another envelope (with its genuine salt) in place of segment 0, re-signed", Forge(record, alice, disclosed: foreign));

        var otherProof = record.Archive with { EntryIndex = 0, ReceivedAt = entries[0].ReceivedAt, Proof = MerkleTree.InclusionProof(leaves, 0) };
        Add("proof-for-another-item", "the index, time and inclusion proof of archive entry 0 (another item), re-signed", Forge(record, alice, archive: otherProof));

        var text = Encoding.UTF8.GetString(record.Archive.Checkpoint.Span);
        var genuineRoot = Convert.ToBase64String(MerkleTree.Root(leaves));
        var forgedRoot = Convert.ToBase64String(MerkleTree.Root([leaves[0], leaves[0], leaves[2]]));
        var rootSwapped = record.Archive with { Checkpoint = Encoding.UTF8.GetBytes(text.Replace(genuineRoot, forgedRoot, StringComparison.Ordinal)) };
        Add("root-not-signed", "the checkpoint's root replaced, the archive's signature lines kept", Forge(record, alice, archive: rootSwapped));

        using var foreignLog = CheckpointSigner.FromSeed(Fixtures.Pattern(0xf0, 32));
        var foreignNote = foreignLog.Sign(ArchiveOrigin.ForReview(Fixtures.Review), entries.Length, MerkleTree.Root(leaves), s_checkpointTime);
        Add("foreign-archive-key", "the genuine root signed by another key under the same key name", Forge(record, alice, archive: record.Archive with { Checkpoint = foreignNote.Encode(), CosignerCards = [] }));

        var summary = record.Item.Encode();
        var lang = summary.AsSpan().IndexOf("\u0002fr"u8);
        summary[lang + 1] = (byte)'e';
        summary[lang + 2] = (byte)'n';
        Add("tampered-author-header", "the header's language changed from fr to en, re-signed by the publisher", Forge(record, alice, item: EnvelopeSummary.Decode(summary).Value!));

        var document = record.Documents[0].Content.ToArray();
        document[^2] ^= 0x01;
        Add("altered-document", "one byte of the document changed", Forge(record, alice, documents: [new PublishedDocument(3, document)]));

        var ciphertext = wholeRecord.Archive.Ciphertext.ToArray();
        ciphertext[0] ^= 0x01;
        Add("whole-envelope-ciphertext-altered", "the whole-envelope record with one ciphertext byte changed (checked without cosignatures)",
            Forge(wholeRecord, alice, archive: wholeRecord.Archive with { Ciphertext = ciphertext }), trust with { MinimumCosignatures = 0 });

        var audience = record.Encoded.ToArray();
        audience[2] = (byte)PublicationAudience.StatesParties;
        Add("altered-audience", "the audience byte changed to all States parties", audience);
        return variants;
    }

    private static byte[] Forge(
        PublicationRecord record, DeviceIdentity publisher, EnvelopeSummary? item = null, IReadOnlyList<DisclosedSegment>? disclosed = null,
        ArchiveInclusion? archive = null, IReadOnlyList<PublishedDocument>? documents = null)
    {
        var signed = PublicationRecord.WriteSignedPart(
            record.Audience, record.PublishedAt, record.AuthorState, record.PublisherState, DevicePublicKeys.Decode(record.AuthorCard).Value!,
            item ?? record.Item, record.Commitments, disclosed ?? record.Disclosed, publisher.PublicKeys);
        var signature = new byte[Ed25519.SignatureSize];
        publisher.Sign([.. ProtocolConstants.PublicationContext, .. signed], signature);
        return PublicationRecord.Assemble(signed, signature, archive ?? record.Archive, documents ?? record.Documents);
    }

    /// <summary>A manifest (section 15.3) for <paramref name="document"/>, with a fixed file key and ciphertext hash (no ciphertext is needed to publish).</summary>
    private static byte[] Manifest(byte[] document)
    {
        var name = Encoding.UTF8.GetBytes("loi-2019-222.txt");
        var type = "text/plain"u8.ToArray();
        var length = document.Length;
        var manifest = new byte[AttachmentManifest.FixedSize + name.Length + type.Length];
        var s = manifest.AsSpan();
        s[0] = 1;
        s[1] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)name.Length);
        name.CopyTo(s[4..]);
        s = s[(4 + name.Length)..];
        s[0] = (byte)type.Length;
        type.CopyTo(s[1..]);
        s = s[(1 + type.Length)..];
        BinaryPrimitives.WriteUInt64BigEndian(s, (ulong)length);
        Blake2b.Hash(ProtocolConstants.AttachmentPlaintextHashPersonal, document, s.Slice(8, 32));
        BinaryPrimitives.WriteUInt32BigEndian(s[40..], AttachmentFormat.ChunkSize);
        BinaryPrimitives.WriteUInt32BigEndian(s[44..], (uint)AttachmentFormat.ChunkCount(length));
        Fixtures.Pattern(0x60, 32).CopyTo(s[48..]);
        Fixtures.Pattern(0x90, 32).CopyTo(s[80..]);
        BinaryPrimitives.WriteUInt64BigEndian(s[112..], (ulong)AttachmentFormat.CiphertextLength(length));
        using var decoded = AttachmentManifest.Decode(manifest).Value ?? throw new InvalidOperationException("Self-check failed: manifest.");
        return manifest;
    }
}
