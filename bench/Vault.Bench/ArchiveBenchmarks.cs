using BenchmarkDotNet.Attributes;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Bench;

/// <summary>
/// Archive log (issue 5, docs/benchmarks.md "Archive"): appends per second when the log signs a checkpoint every
/// <see cref="SignEvery"/> entries. Each operation builds a 1 KiB envelope entry, encodes and hashes it, appends
/// the leaf to a <see cref="MerkleLog"/> over an in-memory node store, and every <see cref="SignEvery"/> entries
/// computes the root and signs a checkpoint (Ed25519 note signature and timestamp line).
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class ArchiveAppendBenchmarks
{
    private const int Appends = 32_768;

    private static readonly Guid Review = Guid.Parse("8b2f6c1e-4a5d-4e7f-9c3b-2d1e0f6a7b8c");
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly byte[] _payload = new byte[1024];
    private CheckpointSigner _signer = null!;
    private MerkleLog _log = null!;
    private string _origin = null!;

    /// <summary>A checkpoint is signed after every this many appends.</summary>
    [Params(1, 64, 1024)]
    public int SignEvery { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signer = CheckpointSigner.FromSeed([.. Enumerable.Range(0xd0, 32).Select(i => (byte)i)]);
        _origin = ArchiveOrigin.ForReview(Review);
    }

    [IterationSetup]
    public void NewLog() => _log = new MerkleLog(new InMemoryMerkleNodeStore());

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task<int> AppendWithCheckpoints()
    {
        var signatures = 0;
        for (var i = 0; i < Appends; i++)
        {
            var entry = ArchiveEntry.Create(Review, i, ArchiveEntryKind.Envelope, Time, _payload);
            await _log.AppendAsync(i, entry.LeafHash());
            if ((i + 1) % SignEvery == 0)
            {
                var root = await _log.GetRootAsync(i + 1);
                signatures += _signer.Sign(_origin, i + 1, root, Time).Signatures.Count;
            }
        }

        return signatures;
    }
}

/// <summary>
/// Archive log proofs at 10^6 entries over the in-memory node store: the root, an inclusion proof and a
/// consistency proof at pseudo-random positions (server side, O(log n) node reads each), and the client-side
/// checks: verifying an inclusion proof and parsing and verifying a signed checkpoint.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class ArchiveProofBenchmarks
{
    private const int Positions = 1024;

    private readonly long[] _indices = new long[Positions];
    private readonly long[] _oldSizes = new long[Positions];
    private InMemoryMerkleNodeStore _store = null!;
    private MerkleLog _log = null!;
    private byte[] _root = null!;
    private byte[] _leaf = null!;
    private List<byte[]> _proof = null!;
    private byte[] _checkpoint = null!;
    private ArchiveKeyRing _keys = null!;
    private string _origin = null!;
    private int _next;

    [Params(1_000_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _store = new InMemoryMerkleNodeStore();
        _log = new MerkleLog(_store);
        const int batch = 65_536;
        var leaves = new List<ReadOnlyMemory<byte>>(batch);
        for (var start = 0; start < Size; start += batch)
        {
            leaves.Clear();
            for (var i = start; i < Math.Min(Size, start + batch); i++)
            {
                leaves.Add(MerkleHash.Leaf(BitConverter.GetBytes(i)));
            }

            await _log.AppendAsync(start, leaves);
        }

        // A fixed pseudo-random sequence (System.Random is banned in this repository).
        var state = 0x9e3779b97f4a7c15UL;
        for (var i = 0; i < Positions; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            _indices[i] = (long)(state >> 33) % Size;
            _oldSizes[i] = 1 + ((long)(state >> 20) % (Size - 1));
        }

        _root = await _log.GetRootAsync(Size);
        _leaf = await _log.GetLeafHashAsync(_indices[0]);
        _proof = await _log.GetInclusionProofAsync(_indices[0], Size);
        _origin = ArchiveOrigin.ForReview(Guid.Parse("8b2f6c1e-4a5d-4e7f-9c3b-2d1e0f6a7b8c"));
        using var signer = CheckpointSigner.FromSeed([.. Enumerable.Range(0xd0, 32).Select(i => (byte)i)]);
        _checkpoint = signer.Sign(_origin, Size, _root, new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)).Encode();
        _keys = new ArchiveKeyRing([signer.LogKey()]);
    }

    [Benchmark]
    public Task<byte[]> Root() => _log.GetRootAsync(Size).AsTask();

    [Benchmark]
    public Task<List<byte[]>> InclusionProof() => _log.GetInclusionProofAsync(_indices[Next()], Size).AsTask();

    [Benchmark]
    public Task<List<byte[]>> ConsistencyProof() => _log.GetConsistencyProofAsync(_oldSizes[Next()], Size).AsTask();

    [Benchmark]
    public bool VerifyInclusion() => MerkleProofs.VerifyInclusion(_leaf, _indices[0], Size, _root, _proof);

    [Benchmark]
    public bool ParseAndVerifyCheckpoint() => SignedCheckpoint.Parse(_checkpoint).Value!.Verify(_keys, _origin).IsSuccess;

    private int Next() => _next = (_next + 1) % Positions;
}
