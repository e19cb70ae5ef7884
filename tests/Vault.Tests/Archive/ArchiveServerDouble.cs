using System.Text;
using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Vault.Tests.Archive;

/// <summary>
/// A scriptable archive log server for tests: an honest <see cref="MerkleLog"/> over an in-memory store with a
/// fixed checkpoint key, plus the malicious moves of the security bar: forks that share a prefix and then
/// diverge (split views), old checkpoints replayed, checkpoints re-signed with a new time on an old tree,
/// foreign keys, tampered entries and proofs.
/// </summary>
internal sealed class ArchiveServerDouble
{
    public static readonly Guid Review = Guid.Parse("8b2f6c1e-4a5d-4e7f-9c3b-2d1e0f6a7b8c");

    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly List<byte[]> _entries = [];

    public ArchiveServerDouble(CheckpointSigner signer, FakeTimeProvider time)
    {
        Signer = signer;
        Time = time;
        Store = new InMemoryMerkleNodeStore();
        Log = new MerkleLog(Store);
    }

    public CheckpointSigner Signer { get; set; }

    public FakeTimeProvider Time { get; }

    public InMemoryMerkleNodeStore Store { get; }

    public MerkleLog Log { get; }

    public static string Origin => ArchiveOrigin.ForReview(Review);

    public long Size => _entries.Count;

    public IReadOnlyList<byte[]> Entries => _entries;

    /// <summary>The fixed test key (seed 0xd0, 0xd1, ...).</summary>
    public static CheckpointSigner FixedSigner(int seedStart = 0xd0, string name = CheckpointSigner.DefaultKeyName) =>
        CheckpointSigner.FromSeed([.. Enumerable.Range(seedStart, 32).Select(i => (byte)i)], name);

    public static FakeTimeProvider NewTime() => new(Start);

    public ArchiveKeyRing Keys(params CosignerKey[] cosigners) => new([Signer.LogKey()], cosigners);

    public ArchiveEntry Append(ArchiveEntryKind kind, string payload, long? target = null) =>
        Append(kind, Encoding.UTF8.GetBytes(payload), target);

    public ArchiveEntry Append(ArchiveEntryKind kind, byte[] payload, long? target = null)
    {
        var entry = ArchiveEntry.Create(Review, Size, kind, Time.GetUtcNow(), payload, target);
        var encoded = entry.Encode();
        Log.AppendAsync(entry.Index, entry.LeafHash()).AsTask().GetAwaiter().GetResult();
        _entries.Add(encoded);
        return entry;
    }

    public void AppendMessages(int count, string label = "message")
    {
        for (var i = 0; i < count; i++)
        {
            Append(ArchiveEntryKind.Envelope, $"{label} {Size}");
        }
    }

    public SignedCheckpoint Checkpoint() => Checkpoint(Size);

    public SignedCheckpoint Checkpoint(long size) => Signer.Sign(Origin, size, Root(size), Time.GetUtcNow());

    public byte[] Root(long size) => Log.GetRootAsync(size).AsTask().GetAwaiter().GetResult();

    public List<byte[]> Consistency(long oldSize, long newSize) => Log.GetConsistencyProofAsync(oldSize, newSize).AsTask().GetAwaiter().GetResult();

    public List<byte[]> Inclusion(long index, long size) => Log.GetInclusionProofAsync(index, size).AsTask().GetAwaiter().GetResult();

    /// <summary>Another log with the same key and clock, sharing the first <paramref name="size"/> entries.</summary>
    public ArchiveServerDouble Fork(long size)
    {
        var fork = new ArchiveServerDouble(Signer, Time);
        foreach (var encoded in _entries.Take((int)size))
        {
            var entry = ArchiveEntry.Decode(encoded).Value!;
            fork.Log.AppendAsync(entry.Index, entry.LeafHash()).AsTask().GetAwaiter().GetResult();
            fork._entries.Add(encoded);
        }

        return fork;
    }
}
