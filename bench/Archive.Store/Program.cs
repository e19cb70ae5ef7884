using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

// The database-backed archive log (issue 5, docs/benchmarks.md "Archive log in the database"), against in-memory
// baselines measured in the same run:
//   1. appends per second of 1 KiB envelope entries through ArchiveWriter on SQLite (WAL, synchronous=FULL), in
//      transactions of --batch entries (the envelope group commit's shape), with a checkpoint (root from the stored
//      nodes, Ed25519 signature and timestamp, row insert) every --sign-every entries; baseline: MerkleLog over the
//      in-memory store with the same signing;
//   2. proof generation in a log of --proof-size entries (default 10^6): inclusion and consistency proofs from the
//      database, one query each, against the in-memory store.
var options = Args.Parse(args);
if (options is null)
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Archive.Store -- [--appends N] [--batch N] [--sign-every N] [--proof-size N] [--proofs N]");
    return 2;
}

var directory = Directory.CreateTempSubdirectory("sdlg-archive-bench-");
try
{
    var target = new DatabaseTarget(
        Options.Create(new DatabaseOptions { Engine = "Sqlite" }), Options.Create(new ServerOptions()), Options.Create(new DataDirectoryOptions { Directory = directory.FullName }));
    await using (var db = Context(target))
    {
        await new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(db.Database.GetDbConnection(), target.Engine, default);
    }

    using var signer = CheckpointSigner.Create();
    Console.WriteLine($"Archive log in the database: {options.Appends} appends of 1 KiB entries in transactions of {options.Batch}, a checkpoint every {options.SignEvery}; proofs at {options.ProofSize} entries");
    Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeVersion()}, SQLite WAL synchronous=FULL in {directory.FullName}");

    var memory = await AppendInMemoryAsync(options, signer);
    var plain = await PlainRowsAsync(target, options);
    var database = await AppendInDatabaseAsync(target, options, signer);
    Console.WriteLine();
    Console.WriteLine($"{"appends",-52} {"entries/s",12} {"ratio",8}");
    Console.WriteLine($"{"in-memory MerkleLog + signing (baseline 1)",-52} {memory,12:N0} {1.0,8:N2}");
    Console.WriteLine($"{"SQLite: 1 KiB rows only, commit per batch (baseline 2)",-52} {plain,12:N0} {memory / plain,8:N2}");
    Console.WriteLine($"{"SQLite: ArchiveWriter + signing, commit per batch",-52} {database,12:N0} {memory / database,8:N2}");
    Console.WriteLine($"{"  cost over baseline 2 (same commits, no archive)",-52} {"",12} {plain / database,8:N2}");

    var (dbInclusion, dbConsistency, memInclusion, memConsistency) = await ProofsAsync(target, options);
    Console.WriteLine();
    Console.WriteLine($"{"proofs at " + options.ProofSize.ToString("N0", CultureInfo.InvariantCulture) + " entries",-44} {"us/proof",12} {"ratio",8}");
    Console.WriteLine($"{"inclusion, in-memory store (baseline)",-44} {memInclusion,12:N1} {1.0,8:N2}");
    Console.WriteLine($"{"inclusion, SQLite store",-44} {dbInclusion,12:N1} {dbInclusion / memInclusion,8:N2}");
    Console.WriteLine($"{"consistency, in-memory store (baseline)",-44} {memConsistency,12:N1} {1.0,8:N2}");
    Console.WriteLine($"{"consistency, SQLite store",-44} {dbConsistency,12:N1} {dbConsistency / memConsistency,8:N2}");
    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

static MessagingDbContext Context(DatabaseTarget target)
{
    var builder = new DbContextOptionsBuilder<MessagingDbContext>();
    target.Configure(builder);
    return new MessagingDbContext(builder.Options);
}

static string RuntimeVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static async Task<double> AppendInMemoryAsync(Args options, CheckpointSigner signer)
{
    var review = Guid.NewGuid();
    var log = new MerkleLog(new InMemoryMerkleNodeStore());
    var payload = new byte[1024];
    var stopwatch = Stopwatch.StartNew();
    for (var start = 0; start < options.Appends; start += options.Batch)
    {
        var leaves = new List<ReadOnlyMemory<byte>>(options.Batch);
        for (var i = start; i < start + options.Batch; i++)
        {
            leaves.Add(ArchiveEntry.Create(review, i, ArchiveEntryKind.Envelope, DateTimeOffset.UnixEpoch, payload).LeafHash());
        }

        await log.AppendAsync(start, leaves);
        if ((start + options.Batch) % options.SignEvery == 0)
        {
            var size = start + options.Batch;
            signer.Sign(ArchiveOrigin.ForReview(review), size, await log.GetRootAsync(size), TimeProvider.System.GetUtcNow());
        }
    }

    return options.Appends / stopwatch.Elapsed.TotalSeconds;
}

// The same transactions and commits with plain 1 KiB rows and no archive: what the archive adds to a commit.
static async Task<double> PlainRowsAsync(DatabaseTarget target, Args options)
{
    await using (var setup = Context(target))
    {
        await setup.Database.ExecuteSqlRawAsync("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    }

    var payload = new byte[1024];
    var stopwatch = Stopwatch.StartNew();
    for (var start = 0; start < options.Appends; start += options.Batch)
    {
        await using var db = Context(target);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = ArchiveSql.Command(connection, transaction.GetDbTransaction(),
            "INSERT INTO bench_rows (id, payload) VALUES " + string.Join(", ", Enumerable.Range(0, options.Batch).Select(i => $"({start + i}, @p)")));
        ArchiveSql.Add(command, "@p", payload);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    return options.Appends / stopwatch.Elapsed.TotalSeconds;
}

static async Task<double> AppendInDatabaseAsync(DatabaseTarget target, Args options, CheckpointSigner signer)
{
    var review = await SeedReviewAsync(target);
    var writer = new ArchiveWriter(new CheckpointSignal());
    var payload = new byte[1024];
    var stopwatch = Stopwatch.StartNew();
    for (var start = 0; start < options.Appends; start += options.Batch)
    {
        await using (var db = Context(target))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var records = Enumerable.Range(0, options.Batch).Select(_ => ArchiveRecord.Stored(ArchiveEntryKind.Envelope, payload, TimeProvider.System.GetUtcNow())).ToList();
            await writer.AppendAsync(db, review, records, default);
            await transaction.CommitAsync();
        }

        if ((start + options.Batch) % options.SignEvery == 0)
        {
            await using var db = Context(target);
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var log = new MerkleLog(new DbMerkleNodeStore(connection, null, review));
            var size = await log.GetSizeAsync();
            var now = TimeProvider.System.GetUtcNow();
            var note = signer.Sign(ArchiveOrigin.ForReview(review), size, await log.GetRootAsync(size), now).Text;
            await ArchiveSql.ExecuteAsync(connection, null, "INSERT INTO archive_checkpoints (review_id, tree_size, signed_at, note) VALUES (@r, @s, @t, @n) ON CONFLICT DO NOTHING",
                c =>
                {
                    ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review));
                    ArchiveSql.Add(c, "@s", size);
                    ArchiveSql.Add(c, "@t", now.ToUnixTimeSeconds());
                    ArchiveSql.Add(c, "@n", note);
                }, default);
        }
    }

    return options.Appends / stopwatch.Elapsed.TotalSeconds;
}

static async Task<(double DbInclusion, double DbConsistency, double MemInclusion, double MemConsistency)> ProofsAsync(DatabaseTarget target, Args options)
{
    var review = await SeedReviewAsync(target);
    var memory = new MerkleLog(new InMemoryMerkleNodeStore());
    var build = Stopwatch.StartNew();
    await using (var db = Context(target))
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(), "INSERT INTO archive_logs (review_id, size) VALUES (@r, 0)",
            c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
        var log = new MerkleLog(new DbMerkleNodeStore(connection, transaction.GetDbTransaction(), review, 0));
        for (var start = 0; start < options.ProofSize; start += 50_000)
        {
            var count = Math.Min(50_000, options.ProofSize - start);
            var leaves = Enumerable.Range(start, count).Select(i => (ReadOnlyMemory<byte>)MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
            await log.AppendAsync(start, leaves);
            await memory.AppendAsync(start, leaves);
        }

        await transaction.CommitAsync();
    }

    Console.WriteLine($"(built the {options.ProofSize:N0}-entry log in {build.Elapsed.TotalSeconds:N1} s)");
    // Spread over the log (a fixed stride, co-prime with the sizes used), no random generator needed.
    var indexes = Enumerable.Range(0, options.Proofs).Select(i => (long)i * 7_919 % options.ProofSize).ToArray();
    var olds = Enumerable.Range(0, options.Proofs).Select(i => 1 + ((long)i * 104_729 % (options.ProofSize - 1))).ToArray();
    await using var read = Context(target);
    await read.Database.OpenConnectionAsync();
    var dbLog = new MerkleLog(new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review));

    // Warm-up, then timed.
    await dbLog.GetInclusionProofAsync(indexes[0], options.ProofSize);
    await memory.GetInclusionProofAsync(indexes[0], options.ProofSize);
    var dbInclusion = await TimeAsync(indexes, i => dbLog.GetInclusionProofAsync(i, options.ProofSize));
    var memInclusion = await TimeAsync(indexes, i => memory.GetInclusionProofAsync(i, options.ProofSize));
    var dbConsistency = await TimeAsync(olds, m => dbLog.GetConsistencyProofAsync(m, options.ProofSize));
    var memConsistency = await TimeAsync(olds, m => memory.GetConsistencyProofAsync(m, options.ProofSize));
    return (dbInclusion, dbConsistency, memInclusion, memConsistency);
}

static async Task<double> TimeAsync(long[] inputs, Func<long, ValueTask<List<byte[]>>> proof)
{
    var stopwatch = Stopwatch.StartNew();
    foreach (var input in inputs)
    {
        await proof(input);
    }

    return stopwatch.Elapsed.TotalMicroseconds / inputs.Length;
}

static async Task<Guid> SeedReviewAsync(DatabaseTarget target)
{
    await using var db = Context(target);
    var account = new AccountEntity { Id = Guid.NewGuid(), Issuer = "bench", Subject = "s-" + Guid.NewGuid(), DisplayName = "Bench", CreatedAt = DateTimeOffset.UnixEpoch };
    var review = new ReviewEntity { Id = Guid.NewGuid(), Title = "Bench", Languages = "en", CreatedBy = account.Id, CreatedAt = DateTimeOffset.UnixEpoch };
    db.Accounts.Add(account);
    db.Reviews.Add(review);
    await db.SaveChangesAsync();
    return review.Id;
}

internal sealed record Args(int Appends, int Batch, int SignEvery, int ProofSize, int Proofs)
{
    public static Args? Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--appends"] = 65_536, ["--batch"] = 64, ["--sign-every"] = 256, ["--proof-size"] = 1_000_000, ["--proofs"] = 2_000,
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return null;
            }

            values[args[i]] = value;
            i++;
        }

        var parsed = new Args(values["--appends"], values["--batch"], values["--sign-every"], values["--proof-size"], values["--proofs"]);
        return parsed.SignEvery % parsed.Batch != 0 || parsed.Appends % parsed.Batch != 0 ? null : parsed;
    }
}
