using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Bench;

/// <summary>
/// Attachment encryption and decryption (AttachmentEncryptor / AttachmentDecryptor, stream to stream) against
/// the same work done with bare libsodium calls over the same 64 KiB chunks in the same run: secretstream
/// push/pull plus the two BLAKE2b-256 hashes the format requires (the baseline), and secretstream alone.
/// The "Throughput" column is baseline time / this time (goal >= 0.90 for the library rows).
/// Run: dotnet run -c Release --project bench/Vault.Bench -- --filter '*AttachmentBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(ThroughputConfig))]
public unsafe class AttachmentBenchmarks : IDisposable
{
    private const int Chunk = AttachmentFormat.ChunkSize;
    private static readonly AttachmentDescription s_description = new("bench.bin", "application/octet-stream");
    private static readonly byte[] s_plainPersonal = Personal("sdlg.att.plain");
    private static readonly byte[] s_cipherPersonal = Personal("sdlg.att.hash");
    private static readonly byte[] s_zeroSalt = new byte[16];

    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _output = [];
    private byte[] _key = [];
    private byte[] _finalAd = [];
    private AttachmentManifest? _manifest;
    private MemoryStream _sink = new();
    private IntPtr _state;
    private IntPtr _plainHash;
    private IntPtr _cipherHash;

    /// <summary>File size: a power of two, so Padmé adds no padding and both sides process identical chunks.</summary>
    [Params(16 * 1024 * 1024)]
    public int FileSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = RandomNumberGenerator.GetBytes(FileSize);
        using var encrypted = new MemoryStream();
        _manifest = AttachmentEncryptor.EncryptAsync(new MemoryStream(_plaintext), encrypted, s_description).GetAwaiter().GetResult().Value!;
        _ciphertext = encrypted.ToArray();
        _key = new byte[32];
        _manifest.FileKey.Export(_key);
        _finalAd = AttachmentDescription.FinalChunkAssociatedData(s_description.FileName, s_description.MediaType, FileSize);
        _output = new byte[_ciphertext.Length];
        _sink = new MemoryStream(_ciphertext.Length);
        _state = (IntPtr)NativeMemory.AlignedAlloc(64, 64);
        _plainHash = (IntPtr)NativeMemory.AlignedAlloc(384, 64);
        _cipherHash = (IntPtr)NativeMemory.AlignedAlloc(384, 64);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("encrypt")]
    public void EncryptNative() => PushNative(hash: true);

    [Benchmark]
    [BenchmarkCategory("encrypt")]
    public void EncryptNativeSecretStreamOnly() => PushNative(hash: false);

    [Benchmark]
    [BenchmarkCategory("encrypt")]
    public void Encrypt()
    {
        _sink.SetLength(0);
        var result = AttachmentEncryptor.EncryptAsync(new MemoryStream(_plaintext, writable: false), _sink, s_description).GetAwaiter().GetResult();
        result.Value!.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("decrypt")]
    public void DecryptNative() => PullNative(hash: true);

    [Benchmark]
    [BenchmarkCategory("decrypt")]
    public void DecryptNativeSecretStreamOnly() => PullNative(hash: false);

    [Benchmark]
    [BenchmarkCategory("decrypt")]
    public void Decrypt()
    {
        _sink.SetLength(0);
        var error = AttachmentDecryptor.DecryptAsync(_manifest!, new MemoryStream(_ciphertext, writable: false), _sink, null, default).GetAwaiter().GetResult();
        if (error != AttachmentError.None)
        {
            throw new InvalidOperationException(error.ToString());
        }
    }

    private void PushNative(bool hash)
    {
        var chunks = (FileSize + Chunk - 1) / Chunk;
        if (hash)
        {
            InitHash(_plainHash, s_plainPersonal);
            InitHash(_cipherHash, s_cipherPersonal);
        }

        _ = Libsodium.crypto_secretstream_xchacha20poly1305_init_push_raw(_state, ref _output[0], in _key[0]);
        if (hash)
        {
            _ = Libsodium.crypto_generichash_blake2b_update_raw(_cipherHash, in _output[0], 24);
        }

        var offset = 24;
        fixed (byte* ad = _finalAd)
        {
            for (var i = 0; i < chunks; i++)
            {
                var length = Math.Min(Chunk, FileSize - (i * Chunk));
                var final = i == chunks - 1;
                _ = Libsodium.crypto_secretstream_xchacha20poly1305_push_raw(
                    _state, ref _output[offset], IntPtr.Zero, in _plaintext[i * Chunk], (ulong)length,
                    final ? (IntPtr)ad : IntPtr.Zero, final ? (ulong)_finalAd.Length : 0, final ? (byte)3 : (byte)0);
                if (hash)
                {
                    _ = Libsodium.crypto_generichash_blake2b_update_raw(_plainHash, in _plaintext[i * Chunk], (ulong)length);
                    _ = Libsodium.crypto_generichash_blake2b_update_raw(_cipherHash, in _output[offset], (ulong)(length + 17));
                }

                offset += length + 17;
            }
        }

        if (hash)
        {
            FinishHashes();
        }
    }

    private void PullNative(bool hash)
    {
        var chunks = (FileSize + Chunk - 1) / Chunk;
        if (hash)
        {
            InitHash(_plainHash, s_plainPersonal);
            InitHash(_cipherHash, s_cipherPersonal);
            _ = Libsodium.crypto_generichash_blake2b_update_raw(_cipherHash, in _ciphertext[0], 24);
        }

        _ = Libsodium.crypto_secretstream_xchacha20poly1305_init_pull_raw(_state, in _ciphertext[0], in _key[0]);
        var offset = 24;
        fixed (byte* ad = _finalAd)
        {
            for (var i = 0; i < chunks; i++)
            {
                var length = Math.Min(Chunk, FileSize - (i * Chunk));
                var final = i == chunks - 1;
                var rc = Libsodium.crypto_secretstream_xchacha20poly1305_pull_raw(
                    _state, ref _output[i * Chunk], IntPtr.Zero, out _, in _ciphertext[offset], (ulong)(length + 17),
                    final ? (IntPtr)ad : IntPtr.Zero, final ? (ulong)_finalAd.Length : 0);
                if (rc != 0)
                {
                    throw new InvalidOperationException("native pull failed");
                }

                if (hash)
                {
                    _ = Libsodium.crypto_generichash_blake2b_update_raw(_cipherHash, in _ciphertext[offset], (ulong)(length + 17));
                    _ = Libsodium.crypto_generichash_blake2b_update_raw(_plainHash, in _output[i * Chunk], (ulong)length);
                }

                offset += length + 17;
            }
        }

        if (hash)
        {
            FinishHashes();
        }
    }

    private void FinishHashes()
    {
        Span<byte> digest = stackalloc byte[32];
        _ = Libsodium.crypto_generichash_blake2b_final_raw(_plainHash, ref digest[0], 32);
        _ = Libsodium.crypto_generichash_blake2b_final_raw(_cipherHash, ref digest[0], 32);
    }

    private static void InitHash(IntPtr state, byte[] personal) =>
        Libsodium.crypto_generichash_blake2b_init_salt_personal_raw(state, IntPtr.Zero, 0, 32, in s_zeroSalt[0], in personal[0]);

    private static byte[] Personal(string ascii)
    {
        var bytes = new byte[16];
        System.Text.Encoding.ASCII.GetBytes(ascii, bytes);
        return bytes;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _manifest?.Dispose();
        _manifest = null;
        NativeMemory.AlignedFree((void*)_state);
        NativeMemory.AlignedFree((void*)_plainHash);
        NativeMemory.AlignedFree((void*)_cipherHash);
        _state = _plainHash = _cipherHash = IntPtr.Zero;
        GC.SuppressFinalize(this);
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>Throughput relative to the category's native baseline: baseline mean / this mean.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);

        public string ColumnName => "Throughput";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Throughput relative to the native baseline of the same category (baseline time / time; goal >= 0.90)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            var category = benchmarkCase.Descriptor.Categories.FirstOrDefault();
            var baseline = summary.BenchmarksCases.FirstOrDefault(b =>
                b.Descriptor.Baseline && b.Descriptor.Categories.FirstOrDefault() == category && b.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
            var baselineReport = baseline is null ? null : summary[baseline];
            if (report?.ResultStatistics is not { } stats || baselineReport?.ResultStatistics is not { } native)
            {
                return "-";
            }

            var ratio = native.Mean / stats.Mean;
            var mibPerSecond = FileSizeOf(benchmarkCase) / (stats.Mean / 1e9) / (1024 * 1024);
            return $"{ratio:F3} ({mibPerSecond:F0} MiB/s)";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        private static double FileSizeOf(BenchmarkCase benchmarkCase) =>
            benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(FileSize))?.Value is int size ? size : double.NaN;
    }
}
