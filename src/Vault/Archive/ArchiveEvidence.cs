using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Vault.Archive;

/// <summary>What a <see cref="LogView"/> caught the log doing.</summary>
public enum ArchiveEvidenceKind
{
    /// <summary>Not a valid value.</summary>
    None = 0,

    /// <summary>Two signed checkpoints of the same size with different roots. Conclusive on its own.</summary>
    Fork,

    /// <summary>Two signed checkpoints of different sizes and a consistency proof between them that fails.</summary>
    InconsistentCheckpoints,

    /// <summary>Two signed checkpoints where the later signed time has the smaller tree (rollback or freeze). Conclusive on its own.</summary>
    SignedRollback,

    /// <summary>A signed checkpoint, an entry and an inclusion proof that does not verify.</summary>
    InclusionFailure,

    /// <summary>A signed checkpoint and the entries served as its leaves, which recompute to another root.</summary>
    RootMismatch,
}

/// <summary>
/// What a client keeps when the log contradicts itself: the signed checkpoints (both, for checkpoint
/// mismatches), the proof or entry involved, and when it was seen. Serialisable to JSON (format
/// <c>securedialogue-archive-evidence/v1</c>) so it can be shown, exported and handed to an auditor, who
/// re-checks it with <see cref="Recheck"/>.
/// </summary>
public sealed class ArchiveEvidence
{
    /// <summary>The format tag in the JSON.</summary>
    public const string Format = "securedialogue-archive-evidence/v1";

    /// <summary>Largest JSON accepted by <see cref="Parse"/>.</summary>
    public const int MaxEncodedSize = 4 * 1024 * 1024;

    private readonly byte[][] _proof;
    private readonly byte[]? _entry;
    private readonly byte[]? _computedRoot;

    internal ArchiveEvidence(
        ArchiveEvidenceKind kind, bool fromPeer, DateTimeOffset detectedAt, SignedCheckpoint first, SignedCheckpoint? second,
        IReadOnlyList<byte[]> proof, byte[]? entry = null, long? treeSize = null, byte[]? computedRoot = null)
    {
        Kind = kind;
        FromPeer = fromPeer;
        DetectedAt = detectedAt;
        First = first;
        Second = second;
        _proof = [.. proof.Select(p => (byte[])p.Clone())];
        _entry = entry;
        TreeSize = treeSize;
        _computedRoot = computedRoot;
    }

    /// <summary>What was caught.</summary>
    public ArchiveEvidenceKind Kind { get; }

    /// <summary>True when the second checkpoint came from another client (gossip), not from the log.</summary>
    public bool FromPeer { get; }

    /// <summary>When the client detected it (client clock).</summary>
    public DateTimeOffset DetectedAt { get; }

    /// <summary>The log's origin.</summary>
    public string Origin => First.Origin;

    /// <summary>The checkpoint the client held (or the one the entries were checked against).</summary>
    public SignedCheckpoint First { get; }

    /// <summary>The contradicting checkpoint, for checkpoint mismatches.</summary>
    public SignedCheckpoint? Second { get; }

    /// <summary>The consistency, inclusion or range proof that failed, if any.</summary>
    public IReadOnlyList<byte[]> Proof => _proof;

    /// <summary>The encoded entry that failed inclusion, if any.</summary>
    public ReadOnlyMemory<byte>? Entry => _entry;

    /// <summary>The tree size the entry was checked against, for inclusion failures.</summary>
    public long? TreeSize { get; }

    /// <summary>The root recomputed from the entries, for root mismatches.</summary>
    public ReadOnlyMemory<byte>? ComputedRoot => _computedRoot;

    /// <summary>
    /// Re-checks the evidence: every checkpoint verifies with <paramref name="keys"/> for its origin, and the
    /// recorded mismatch is still a mismatch (same size and different roots; later time on a smaller tree; the
    /// proof failing). Fork and signed rollback prove misbehaviour by themselves; a failing proof shows what the
    /// log served, and convinces when the log cannot produce a valid one.
    /// </summary>
    public bool Recheck(ArchiveKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!First.Verify(keys, Origin).TryGetValue(out var a, out _))
        {
            return false;
        }

        VerifiedCheckpoint? b = null;
        if (Second is not null && !Second.Verify(keys, Origin).TryGetValue(out b, out _))
        {
            return false;
        }

        switch (Kind)
        {
            case ArchiveEvidenceKind.Fork:
                return b is not null && a.TreeSize == b.TreeSize && !a.RootHash.SequenceEqual(b.RootHash);
            case ArchiveEvidenceKind.SignedRollback:
                return b is not null && (a.Time < b.Time ? a.TreeSize > b.TreeSize : b.Time < a.Time && b.TreeSize > a.TreeSize);
            case ArchiveEvidenceKind.InconsistentCheckpoints:
                if (b is null || a.TreeSize == b.TreeSize)
                {
                    return false;
                }

                var (small, large) = a.TreeSize < b.TreeSize ? (a, b) : (b, a);
                return !MerkleProofs.VerifyConsistency(small.TreeSize, large.TreeSize, small.RootHash, large.RootHash, _proof);
            case ArchiveEvidenceKind.InclusionFailure:
                if (_entry is null || TreeSize != a.TreeSize)
                {
                    return false;
                }

                var decoded = ArchiveEntry.Decode(_entry);
                return !decoded.IsSuccess || !MerkleProofs.VerifyInclusion(MerkleHash.Leaf(_entry), decoded.Value.Index, a.TreeSize, a.RootHash, _proof);
            case ArchiveEvidenceKind.RootMismatch:
                return _computedRoot is not null && !CryptographicOperations.FixedTimeEquals(_computedRoot, a.RootHash);
            default:
                return false;
        }
    }

    /// <summary>The evidence as JSON (UTF-8), checkpoints as their exact signed-note text.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("kind", KindName(Kind));
            json.WriteString("origin", Origin);
            json.WriteString("detected_at", DetectedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteBoolean("from_peer", FromPeer);
            json.WriteStartArray("checkpoints");
            json.WriteStringValue(First.Text);
            if (Second is not null)
            {
                json.WriteStringValue(Second.Text);
            }

            json.WriteEndArray();
            json.WriteStartArray("proof");
            foreach (var hash in _proof)
            {
                json.WriteStringValue(Convert.ToHexStringLower(hash));
            }

            json.WriteEndArray();
            if (_entry is not null)
            {
                json.WriteString("entry", Convert.ToBase64String(_entry));
            }

            if (TreeSize is { } size)
            {
                json.WriteNumber("tree_size", size);
            }

            if (_computedRoot is not null)
            {
                json.WriteString("computed_root", Convert.ToHexStringLower(_computedRoot));
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Reads evidence written by <see cref="ToJson"/>; bounded, never throws on hostile input.</summary>
    public static Result<ArchiveEvidence, CheckpointError> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxEncodedSize)
        {
            return CheckpointError.TooLarge;
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.GetProperty("format").GetString() != Format)
            {
                return CheckpointError.Malformed;
            }

            var kind = ParseKind(root.GetProperty("kind").GetString());
            var checkpoints = root.GetProperty("checkpoints").EnumerateArray().Select(e => SignedCheckpoint.Parse(e.GetString()!)).ToList();
            if (kind == ArchiveEvidenceKind.None || checkpoints.Count is < 1 or > 2 || checkpoints.Any(c => !c.IsSuccess))
            {
                return CheckpointError.Malformed;
            }

            var proof = root.GetProperty("proof").EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToList();
            if (proof.Count > MerkleRangeProofs.MaxProofLength)
            {
                return CheckpointError.Malformed;
            }

            byte[]? entry = root.TryGetProperty("entry", out var e) ? Convert.FromBase64String(e.GetString()!) : null;
            long? treeSize = root.TryGetProperty("tree_size", out var t) ? t.GetInt64() : null;
            byte[]? computed = root.TryGetProperty("computed_root", out var c) ? Convert.FromHexString(c.GetString()!) : null;
            var detectedAt = DateTimeOffset.Parse(root.GetProperty("detected_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var evidence = new ArchiveEvidence(
                kind, root.GetProperty("from_peer").GetBoolean(), detectedAt, checkpoints[0].Value!, checkpoints.Count == 2 ? checkpoints[1].Value : null,
                proof, entry, treeSize, computed);
            return checkpoints.Count == 2 && !string.Equals(checkpoints[1].Value!.Origin, evidence.Origin, StringComparison.Ordinal)
                ? CheckpointError.Malformed
                : evidence;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException or OverflowException)
        {
            return CheckpointError.Malformed;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"ArchiveEvidence {Kind} {Origin}";

    private static string KindName(ArchiveEvidenceKind kind) => kind switch
    {
        ArchiveEvidenceKind.Fork => "fork",
        ArchiveEvidenceKind.InconsistentCheckpoints => "inconsistent-checkpoints",
        ArchiveEvidenceKind.SignedRollback => "signed-rollback",
        ArchiveEvidenceKind.InclusionFailure => "inclusion-failure",
        ArchiveEvidenceKind.RootMismatch => "root-mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ArchiveEvidenceKind ParseKind(string? name) => name switch
    {
        "fork" => ArchiveEvidenceKind.Fork,
        "inconsistent-checkpoints" => ArchiveEvidenceKind.InconsistentCheckpoints,
        "signed-rollback" => ArchiveEvidenceKind.SignedRollback,
        "inclusion-failure" => ArchiveEvidenceKind.InclusionFailure,
        "root-mismatch" => ArchiveEvidenceKind.RootMismatch,
        _ => ArchiveEvidenceKind.None,
    };
}
