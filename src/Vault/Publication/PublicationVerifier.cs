using System.Security.Cryptography;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Publication;

/// <summary>
/// Verifies a publication record offline, with no key but the trusted archive keys (docs/protocol.md, section 18.5):
/// who wrote the item, that every disclosed segment and document is exactly what the author committed to, who
/// published it and with which audience, and that the archive logged the item under a signed (and cosigned)
/// checkpoint. Every independent check runs and every failure is reported; the record is valid only when none failed.
/// </summary>
public static class PublicationVerifier
{
    // Bytes of segment content the swap search may hash in total: a bound on the work a hostile record can cause.
    private const long SwapSearchBudget = 8L * 1024 * 1024;

    /// <summary>Decodes and verifies <paramref name="encoded"/>. Never throws on hostile input.</summary>
    public static PublicationVerification Verify(ReadOnlySpan<byte> encoded, PublicationTrust trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var decoded = PublicationRecord.Decode(encoded);
        if (!decoded.IsSuccess)
        {
            var failure = decoded.Error switch
            {
                PublicationError.TooLarge => PublicationFailure.TooLarge,
                PublicationError.UnsupportedVersion => PublicationFailure.UnsupportedVersion,
                _ => PublicationFailure.Malformed,
            };
            return new PublicationVerification(null, [new PublicationProblem(failure)], null, null, null);
        }

        return Verify(decoded.Value, trust);
    }

    /// <summary>Verifies a decoded record.</summary>
    public static PublicationVerification Verify(PublicationRecord record, PublicationTrust trust)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(trust);
        var problems = new List<PublicationProblem>();
        var item = record.Item;

        // Author: the card is the header's sender and signed the header and ciphertext hash.
        var author = DevicePublicKeys.Decode(record.AuthorCard) is { IsSuccess: true } a && a.Value.Id == item.Header.Sender ? a.Value : null;
        if (author is null)
        {
            problems.Add(new PublicationProblem(PublicationFailure.AuthorCardInvalid));
        }
        else if (!item.VerifySignature(author))
        {
            problems.Add(new PublicationProblem(PublicationFailure.AuthorSignatureInvalid));
        }

        CheckSegments(record, problems);
        CheckDocuments(record, problems);

        // Publisher: its signature covers everything before it.
        var publisher = DevicePublicKeys.Decode(record.PublisherCard) is { IsSuccess: true } p ? p.Value : null;
        if (publisher is null)
        {
            problems.Add(new PublicationProblem(PublicationFailure.PublisherCardInvalid));
        }
        else
        {
            var context = ProtocolConstants.PublicationContext;
            var message = new byte[context.Length + record.SignedLength];
            context.CopyTo(message, 0);
            record.Encoded.Span[..record.SignedLength].CopyTo(message.AsSpan(context.Length));
            if (!Ed25519.Verify(publisher.SigningKey, message, record.PublisherSignature))
            {
                problems.Add(new PublicationProblem(PublicationFailure.PublisherSignatureInvalid));
            }
        }

        var checkpoint = CheckArchive(record, trust, problems);
        return new PublicationVerification(record, problems, author, publisher, checkpoint);
    }

    /// <summary>True when <paramref name="document"/> has the length and BLAKE2b-256 plaintext hash (<c>sdlg.att.plain</c>) the manifest states.</summary>
    public static bool DocumentMatches(AttachmentManifest manifest, ReadOnlySpan<byte> document)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (document.Length != manifest.PlaintextLength)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[AttachmentFormat.HashSize];
        Blake2b.Hash(ProtocolConstants.AttachmentPlaintextHashPersonal, document, hash);
        return CryptographicOperations.FixedTimeEquals(hash, manifest.PlaintextHash);
    }

    private static void CheckSegments(PublicationRecord record, List<PublicationProblem> problems)
    {
        var commitments = record.Commitments;
        var leaves = new byte[commitments.Count * MerkleHash.Size];
        for (var i = 0; i < commitments.Count; i++)
        {
            commitments[i].CopyTo(leaves, i * MerkleHash.Size);
        }

        Span<byte> root = stackalloc byte[MerkleHash.Size];
        MerkleTree.Root(leaves, root);
        if (!CryptographicOperations.FixedTimeEquals(root, record.Item.Header.CommitmentRoot.Span))
        {
            problems.Add(new PublicationProblem(PublicationFailure.CommitmentsMismatch));
        }

        var budget = SwapSearchBudget;
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        foreach (var d in record.Disclosed)
        {
            var content = d.Segment.Content.Span;
            SegmentCommitments.LeafHash(d.Index, d.Segment.Kind, d.Salt.Span, content, leaf);
            if (CryptographicOperations.FixedTimeEquals(leaf, commitments[d.Index]))
            {
                continue;
            }

            int? other = null;
            for (var j = 0; j < commitments.Count && other is null && (budget -= content.Length + 39) >= 0; j++)
            {
                if (j == d.Index)
                {
                    continue;
                }

                SegmentCommitments.LeafHash(j, d.Segment.Kind, d.Salt.Span, content, leaf);
                if (CryptographicOperations.FixedTimeEquals(leaf, commitments[j]))
                {
                    other = j;
                }
            }

            problems.Add(other is { } j2
                ? new PublicationProblem(PublicationFailure.SegmentSwapped, d.Index, j2)
                : new PublicationProblem(PublicationFailure.SegmentMismatch, d.Index));
        }
    }

    private static void CheckDocuments(PublicationRecord record, List<PublicationProblem> problems)
    {
        foreach (var d in record.Disclosed.Where(d => d.Segment.Kind == SegmentKind.FileReference))
        {
            var decoded = AttachmentManifest.FromSegment(d.Segment);
            if (!decoded.IsSuccess)
            {
                problems.Add(new PublicationProblem(PublicationFailure.DocumentManifestInvalid, d.Index));
                continue;
            }

            using var manifest = decoded.Value;
            var document = record.Documents.FirstOrDefault(x => x.SegmentIndex == d.Index);
            if (document is null)
            {
                problems.Add(new PublicationProblem(PublicationFailure.DocumentMissing, d.Index));
            }
            else if (!DocumentMatches(manifest, document.Content.Span))
            {
                problems.Add(new PublicationProblem(PublicationFailure.DocumentMismatch, d.Index));
            }
        }
    }

    private static VerifiedCheckpoint? CheckArchive(PublicationRecord record, PublicationTrust trust, List<PublicationProblem> problems)
    {
        var parsed = SignedCheckpoint.Parse(record.Archive.Checkpoint.Span);
        if (!parsed.IsSuccess)
        {
            problems.Add(new PublicationProblem(PublicationFailure.CheckpointMalformed));
            return null;
        }

        var note = parsed.Value;
        var listed = new List<CosignerKey>();
        foreach (var card in record.Archive.CosignerCards)
        {
            var decoded = DevicePublicKeys.Decode(card);
            if (!decoded.IsSuccess)
            {
                problems.Add(new PublicationProblem(PublicationFailure.CosignerCardInvalid));
                return null;
            }

            listed.Add(CosignerKey.ForDevice(decoded.Value));
        }

        var keys = trust.ArchiveKeys.WithCosigners([.. trust.ArchiveKeys.Cosigners, .. listed]);
        var verified = note.Verify(keys, ArchiveOrigin.ForReview(record.Item.Header.Review));
        if (!verified.IsSuccess)
        {
            problems.Add(new PublicationProblem(verified.Error switch
            {
                CheckpointError.WrongOrigin => PublicationFailure.CheckpointWrongOrigin,
                CheckpointError.NotSigned => PublicationFailure.CheckpointNotSigned,
                CheckpointError.BadSignature => PublicationFailure.CheckpointBadSignature,
                CheckpointError.NoTimestamp => PublicationFailure.CheckpointNoTimestamp,
                _ => PublicationFailure.CheckpointMalformed,
            }));
        }
        else if (!LinesAccountedFor(note, trust.ArchiveKeys, listed))
        {
            problems.Add(new PublicationProblem(PublicationFailure.CheckpointUnlistedSignature));
        }
        else if (verified.Value.Cosignatures.Where(c => trust.ArchiveKeys.Cosigners.Any(t => SameKey(t, c.Cosigner)))
                     .Select(c => c.Cosigner.Name).Distinct(StringComparer.Ordinal).Count() < trust.MinimumCosignatures)
        {
            problems.Add(new PublicationProblem(PublicationFailure.NotCosigned));
        }

        // The proof is checked against the note's root even when the note failed, so both failures are reported;
        // a root is trusted only when the note verified.
        if (record.Archive.Form == EnvelopeEntryForm.WholeEnvelope)
        {
            Span<byte> hash = stackalloc byte[EnvelopeSummary.CiphertextHashSize];
            Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, record.Archive.Ciphertext.Span, hash);
            if (!CryptographicOperations.FixedTimeEquals(hash, record.Item.CiphertextHash))
            {
                problems.Add(new PublicationProblem(PublicationFailure.CiphertextMismatch));
            }
        }

        var leaf = record.Archive.EntryFor(record.Item).LeafHash();
        if (!MerkleProofs.VerifyInclusion(leaf, record.Archive.EntryIndex, note.TreeSize, note.RootHash, record.Archive.Proof))
        {
            problems.Add(new PublicationProblem(PublicationFailure.InclusionFailed));
        }

        return verified.IsSuccess ? verified.Value : null;
    }

    /// <summary>
    /// Every line is by a trusted log key or by a listed cosigner, and the listed cosigners are exactly the
    /// cosigner lines, in their order: nothing on the checkpoint goes unchecked.
    /// </summary>
    private static bool LinesAccountedFor(SignedCheckpoint note, ArchiveKeyRing trusted, List<CosignerKey> listed)
    {
        var next = 0;
        foreach (var line in note.Signatures)
        {
            if (trusted.LogKeys.Any(k => string.Equals(k.Name, line.KeyName, StringComparison.Ordinal) && (k.NoteKeyId == line.KeyId || k.TimestampKeyId == line.KeyId)))
            {
                continue;
            }

            if (next < listed.Count && string.Equals(listed[next].Name, line.KeyName, StringComparison.Ordinal) && listed[next].KeyId == line.KeyId)
            {
                next++;
                continue;
            }

            return false;
        }

        return next == listed.Count;
    }

    private static bool SameKey(CosignerKey a, CosignerKey b) =>
        string.Equals(a.Name, b.Name, StringComparison.Ordinal) && a.PublicKey.SequenceEqual(b.PublicKey);
}
