using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// The double's archive log (when <see cref="ServerScript.Archive"/> is on): one RFC 9162 log per review of its
/// envelopes and epoch records, checkpoints signed by <see cref="ArchiveSigner"/>, the archive API, and the misbehaviours of security
/// bar 14 to 16 (a forked view per account, a rollback, a frozen log, a foreign key, shifted indexes).
/// </summary>
internal sealed partial class ScriptableServer
{
    private readonly Dictionary<Guid, List<byte[]>> _archiveLeaves = [];
    private readonly Dictionary<Guid, string> _firstCheckpoint = [];

    /// <summary>The log key the server lists.</summary>
    public CheckpointSigner ArchiveSigner { get; } = CheckpointSigner.Create();

    /// <summary>A key the server does not list.</summary>
    public CheckpointSigner ForeignSigner { get; } = CheckpointSigner.Create();

    /// <summary>An honest checkpoint of the review's current log, as the server signs it now.</summary>
    public SignedCheckpoint HonestCheckpoint(Guid review)
    {
        lock (_lock)
        {
            var leaves = Leaves(review);
            return ArchiveSigner.Sign(ArchiveOrigin.ForReview(review), leaves.Count, Root(leaves, leaves.Count), _time.GetUtcNow());
        }
    }

    private long ArchiveEnvelope(ChannelRecord store, byte[] bytes, DateTimeOffset storedAt)
    {
        // As the server does (docs/protocol.md 16.2.1): the envelope's summary, or the whole envelope in an older log.
        var leaves = Leaves(store.Review);
        var payload = !Script.ArchiveWholeEnvelopes && Vault.Envelopes.Envelope.Decode(bytes).TryGetValue(out var envelope, out _)
            ? Vault.Envelopes.EnvelopeSummary.Of(envelope).Encode()
            : bytes;
        var entry = ArchiveEntry.Create(store.Review, leaves.Count, ArchiveEntryKind.Envelope, storedAt, payload);
        leaves.Add(entry.LeafHash());
        return entry.Index;
    }

    // An epoch record's entry; with ArchiveOtherEpochRecord set, the log holds other bytes at its index (the record
    // served is not the one in the log).
    private long ArchiveEpochRecord(ChannelRecord store, byte[] bytes, DateTimeOffset storedAt)
    {
        var leaves = Leaves(store.Review);
        var payload = Script.ArchiveOtherEpochRecord ? SHA256.HashData(bytes) : bytes;
        Script.ArchiveOtherEpochRecord = false;
        var entry = ArchiveEntry.Create(store.Review, leaves.Count, ArchiveEntryKind.EpochRecord, storedAt, payload);
        leaves.Add(entry.LeafHash());
        return entry.Index;
    }

    // A trust (MembershipChange) or policy (PolicyChange) statement's entry at the time it is served with, when statements
    // are archived; with ArchiveOtherTrustStatement set, the log holds other bytes at its index.
    private (DateTimeOffset StoredAt, long? Index) ArchiveStatement(Guid review, ArchiveEntryKind kind, byte[] statement)
    {
        var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!Script.Archive || !Script.ArchiveStatements)
        {
            return (storedAt, null);
        }

        var leaves = Leaves(review);
        var payload = kind == ArchiveEntryKind.MembershipChange && Script.ArchiveOtherTrustStatement ? SHA256.HashData(statement) : statement;
        Script.ArchiveOtherTrustStatement &= kind != ArchiveEntryKind.MembershipChange;
        var entry = ArchiveEntry.Create(review, leaves.Count, kind, storedAt, payload);
        leaves.Add(entry.LeafHash());
        return (storedAt, entry.Index);
    }

    private List<byte[]> Leaves(Guid review)
    {
        if (!_archiveLeaves.TryGetValue(review, out var leaves))
        {
            _archiveLeaves[review] = leaves = [];
        }

        return leaves;
    }

    private static byte[] Root(List<byte[]> leaves, long size) => size == 0 ? MerkleHash.EmptyRoot() : MerkleTree.Root(leaves[..(int)size]);

    private void MapArchive(WebApplication app)
    {
        app.MapGet(HttpRoutes.ArchiveKeys, (HttpContext http) => WithAccount(http, _ =>
            Results.Ok(new ArchiveKeys([new ArchiveKeyInfo(ArchiveSigner.LogKey().VerifierKey, 0, null)]))));

        app.MapGet(HttpRoutes.ArchiveCheckpoint, (HttpContext http, Guid reviewId, long? size) => WithReview(http, reviewId, null, (account, _) =>
        {
            lock (_lock)
            {
                var leaves = Leaves(reviewId);
                if (Script.FreezeArchive && _firstCheckpoint.TryGetValue(reviewId, out var frozen))
                {
                    return Results.Ok(new ArchiveCheckpoint(frozen));
                }

                var treeSize = Script.ArchiveRollbackTo ?? leaves.Count;
                var root = Root(leaves, treeSize);
                if (Script.ArchiveForkFor.Contains(account.Id))
                {
                    root = SHA256.HashData(root);
                }

                var signer = Script.ForeignArchiveKey ? ForeignSigner : ArchiveSigner;
                var text = signer.Sign(ArchiveOrigin.ForReview(reviewId), treeSize, root, _time.GetUtcNow()).Text;
                _firstCheckpoint.TryAdd(reviewId, text);
                return Results.Ok(new ArchiveCheckpoint(text));
            }
        }));

        app.MapGet(HttpRoutes.ArchiveConsistency, (HttpContext http, Guid reviewId, long from, long to) => WithReview(http, reviewId, null, (_, _) =>
        {
            lock (_lock)
            {
                var leaves = Leaves(reviewId);
                if (from < 0 || from > to || to > leaves.Count)
                {
                    return Problem(ProblemTypes.BadRequest, 400);
                }

                return Results.Ok(new ArchiveConsistencyProof(from, to, from == 0 || from == to ? [] : MerkleTree.ConsistencyProof(leaves[..(int)to], (int)from)));
            }
        }));

        app.MapGet(HttpRoutes.ArchiveInclusion, (HttpContext http, Guid reviewId, long size, long[] index) => WithReview(http, reviewId, null, (_, _) =>
        {
            lock (_lock)
            {
                var leaves = Leaves(reviewId);
                if (size < 1 || size > leaves.Count || index.Any(i => i < 0 || i >= size))
                {
                    return Problem(ProblemTypes.BadRequest, 400);
                }

                return Results.Ok(new ArchiveInclusionProofs(size,
                    [.. index.Select(i => new ArchiveInclusionProof(i, leaves[(int)i], MerkleTree.InclusionProof(leaves[..(int)size], (int)i)))]));
            }
        }));

        app.MapGet(HttpRoutes.ArchiveRange, (HttpContext http, Guid reviewId, long size, long start, long end) => WithReview(http, reviewId, null, (_, _) =>
        {
            lock (_lock)
            {
                var leaves = Leaves(reviewId);
                if (Script.ArchiveNoRangeProofs)
                {
                    return Problem(ProblemTypes.NotFound, 404);
                }

                if (size < 1 || size > leaves.Count || start < 0 || end <= start || end > size)
                {
                    return Problem(ProblemTypes.BadRequest, 400);
                }

                var proof = MerkleTree.RangeProof(leaves[..(int)size], (int)start, (int)end);
                if (Script.ArchiveBadRangeProofs && proof.Count > 0)
                {
                    proof[0] = SHA256.HashData(proof[0]);
                }

                Script.ArchiveRangeProofsServed++;
                return Results.Ok(new ArchiveRangeProof(size, start, end, proof));
            }
        }));

        app.MapPost(HttpRoutes.ArchiveCosignatures, (HttpContext http, Guid reviewId, CosignCheckpoint body) => WithReview(http, reviewId, null, (_, _) =>
        {
            lock (_lock)
            {
                Script.Cosignatures.Add(body.Checkpoint);
                return Results.Created((string?)null, new CosignatureAccepted(0, 0, string.Empty));
            }
        }));
    }
}
