using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Messaging.Tests.Archive;

/// <summary>
/// The database-backed archive log (migration 0003, <see cref="DbMerkleNodeStore"/>, <see cref="ArchiveWriter"/>,
/// <see cref="ArchiveReader"/>) on a real SQLite file and a real PostgreSQL database: roots and proofs equal
/// <see cref="MerkleTree"/>'s for every size, entries rebuild to their leaves, and the tables only grow.
/// </summary>
public abstract class ArchiveStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private DatabaseTarget _target = null!;

    protected abstract Engine Engine { get; }

    protected abstract Task<string?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        _target = new DatabaseTarget(
            Options.Create(new DatabaseOptions { Engine = Engine.ToString(), ConnectionString = connectionString }),
            Options.Create(new ServerOptions()),
            Options.Create(new DataDirectoryOptions { Directory = _data.Path }));
        await using var db = NewContext();
        await new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Writer_AppendsInBatches_ProofsAndRootsEqualMerkleTreeForEverySize()
    {
        // Arrange: 150 entries of every payload form, appended in batches of 1 to 17 in separate transactions.
        var review = await SeedReviewAsync();
        var writer = new ArchiveWriter(new CheckpointSignal());
        var random = new Random(5);
        var records = new List<ArchiveRecord>();
        var time = DateTimeOffset.Parse("2026-11-23T09:00:00.123Z", CultureInfo.InvariantCulture);
        for (var i = 0; i < 150; i++)
        {
            records.Add((i % 5) switch
            {
                0 => ArchiveRecord.DigestOf(ArchiveEntryKind.AttachmentCiphertext, System.Security.Cryptography.SHA256.HashData([(byte)i]), 1000 + i, time),
                1 when i > 3 => ArchiveRecord.Stored(ArchiveEntryKind.Retraction, Encoding.UTF8.GetBytes("withdrawn"), time, target: i - 3),
                _ => ArchiveRecord.Stored(ArchiveEntryKind.MembershipChange, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), time.AddMilliseconds(i)),
            });
        }

        for (var start = 0; start < records.Count;)
        {
            var count = Math.Min(random.Next(1, 18), records.Count - start);
            await using var db = NewContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(start, await writer.AppendAsync(db, review, records.GetRange(start, count), default));
            await transaction.CommitAsync();
            start += count;
        }

        var leaves = records.Select((r, i) => r.ToEntry(review, i).LeafHash()).ToList();

        // Act and assert
        await using var read = NewContext();
        await read.Database.OpenConnectionAsync();
        var log = new MerkleLog(new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review));
        Assert.Equal(records.Count, await log.GetSizeAsync());
        for (var size = 0; size <= records.Count; size++)
        {
            Assert.Equal(size == 0 ? MerkleHash.EmptyRoot() : MerkleTree.Root(leaves[..size]), await log.GetRootAsync(size));
            if (size == 0)
            {
                continue;
            }

            foreach (var index in new[] { 0, size / 2, size - 1 })
            {
                Assert.Equal(MerkleTree.InclusionProof(leaves[..size], index), await log.GetInclusionProofAsync(index, size));
            }

            foreach (var old in new[] { 1, size / 3, size - 1 }.Where(o => o > 0))
            {
                Assert.Equal(MerkleTree.ConsistencyProof(leaves[..size], old), await log.GetConsistencyProofAsync(old, size));
            }
        }

        var entries = await new ArchiveReader(read).ReadEntriesAsync(review, 0, records.Count, default);
        Assert.Equal(leaves, entries.Select(e => e.LeafHash));
        Assert.Equal(leaves, entries.Select(e => MerkleHash.Leaf(e.Encoded)));
        Assert.All(entries, e => Assert.True(ArchiveEntry.Decode(e.Encoded).TryGetValue(out var decoded, out _) && decoded.Index == e.Index && decoded.Review == review));
    }

    [Fact]
    public async Task InclusionProofsBatch_SeveralTreeSizes_EqualSingleIndexProofsInFewQueries()
    {
        // Arrange: 1 100 leaves; sizes at powers of two, around them and at 1, 2 and the log's size.
        const int Size = 1100;
        var review = await SeedReviewAsync();
        var leaves = Enumerable.Range(0, Size).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
        await AppendLeavesAsync(review, leaves);
        await using var read = NewContext();
        var random = new Random(11);
        foreach (var size in new[] { 1, 2, 3, 7, 64, 65, 100, 511, 512, 513, 1000, Size })
        {
            // The edges, duplicates, then random indexes up to the request bound (scattered: more than one node chunk at 1 100).
            var indexes = new List<long> { 0, size - 1, size / 2, 0 };
            while (indexes.Count < HttpRoutes.MaxArchiveProofsPerRequest)
            {
                indexes.Add(random.NextInt64(size));
            }

            // Act
            var batch = await new ArchiveReader(read).InclusionProofsAsync(review, size, indexes, default);

            // Assert: byte-identical to the single-index proofs (and to MerkleTree's), in the order asked.
            await read.Database.OpenConnectionAsync();
            var single = new MerkleLog(new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review));
            Assert.Equal(indexes, batch.Select(p => p.Index));
            foreach (var (index, leaf, proof) in batch)
            {
                Assert.Equal(await single.GetLeafHashAsync(index), leaf);
                Assert.Equal(await single.GetInclusionProofAsync(index, size), proof);
                Assert.Equal(MerkleTree.InclusionProof(leaves[..size], (int)index), proof);
            }

            await read.Database.CloseConnectionAsync();
        }

        // Assert: the whole batch at the log's size costs the size query and a few bounded node queries, not two per index.
        await read.Database.OpenConnectionAsync();
        var store = new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review);
        List<long> scattered = [.. Enumerable.Range(0, HttpRoutes.MaxArchiveProofsPerRequest).Select(i => (long)(i * 11))];
        var proofs = await new MerkleLog(store).GetInclusionProofsAsync(scattered, Size);
        Assert.Equal(HttpRoutes.MaxArchiveProofsPerRequest, proofs.Count);
        Assert.InRange(store.Queries, 3, 5);
    }

    [Fact]
    public async Task RangeProofs_EveryRangeOfSmallTreesAndRandomLargeOnes_EqualMerkleTreeAndRecomputeTheRoot()
    {
        // Arrange: 1 100 leaves in the database's node store.
        const int Size = 1100;
        var review = await SeedReviewAsync();
        var leaves = Enumerable.Range(0, Size).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
        await AppendLeavesAsync(review, leaves);
        await using var read = NewContext();
        var reader = new ArchiveReader(read);
        var failures = new List<string>();

        // Act + assert: every range of the trees of 1 to 33 leaves, then random ranges up to the request bound.
        for (var size = 1; size <= 33; size++)
        {
            for (var start = 0; start < size; start++)
            {
                for (var end = start + 1; end <= size; end++)
                {
                    if (!Same(await reader.RangeProofAsync(review, size, start, end, default), MerkleTree.RangeProof(leaves[..size], start, end)))
                    {
                        failures.Add($"[{start}, {end}) of {size}");
                    }
                }
            }
        }

        var random = new Random(13);
        for (var trial = 0; trial < 40; trial++)
        {
            var size = random.Next(34, Size + 1);
            var start = random.Next(size);
            var end = random.Next(start + 1, Math.Min(size, start + HttpRoutes.MaxArchiveRangeProofLeaves) + 1);
            var proof = await reader.RangeProofAsync(review, size, start, end, default);
            if (MerkleRangeProofs.Verify(leaves[start..end], start, size, MerkleTree.Root(leaves[..size]), proof) != MerkleRangeError.None)
            {
                failures.Add($"[{start}, {end}) of {size}");
            }
        }

        Assert.Empty(failures);

        // One proof costs the size query and one node query.
        await read.Database.OpenConnectionAsync();
        var store = new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review);
        Assert.NotEmpty(await new MerkleLog(store).GetRangeProofAsync(517, 1017, Size));
        Assert.InRange(store.Queries, 2, 3);
    }

    private static bool Same(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    [Fact]
    public async Task Writer_TransactionRolledBack_LeavesNoTrace()
    {
        // Arrange
        var review = await SeedReviewAsync();
        var writer = new ArchiveWriter(new CheckpointSignal());
        var record = ArchiveRecord.Stored(ArchiveEntryKind.StageChange, "stage"u8.ToArray(), DateTimeOffset.UnixEpoch);

        // Act: appended, then the event's transaction fails; then appended for real.
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await writer.AppendAsync(db, review, [record, record], default);
            await transaction.RollbackAsync();
        }

        long first;
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            first = await writer.AppendAsync(db, review, [record], default);
            await transaction.CommitAsync();
        }

        // Assert: the rolled-back entries left no rows and no size.
        await using var read = NewContext();
        Assert.Equal(0, first);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(read, "SELECT size FROM archive_logs"), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(read, "SELECT count(*) FROM archive_entries"), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(read, "SELECT count(*) FROM archive_nodes"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Writer_OutsideATransaction_Refuses()
    {
        // Arrange
        var review = await SeedReviewAsync();
        await using var db = NewContext();

        // Act and assert: an entry never commits apart from its event.
        await Assert.ThrowsAsync<InvalidOperationException>(() => new ArchiveWriter(new CheckpointSignal()).AppendAsync(
            db, review, [ArchiveRecord.Stored(ArchiveEntryKind.StageChange, "x"u8.ToArray(), DateTimeOffset.UnixEpoch)], default));
    }

    [Theory]
    [InlineData("UPDATE archive_entries SET kind = 9")]
    [InlineData("DELETE FROM archive_entries")]
    [InlineData("UPDATE archive_nodes SET hash = hash")]
    [InlineData("DELETE FROM archive_nodes")]
    [InlineData("UPDATE archive_checkpoints SET note = 'x'")]
    [InlineData("DELETE FROM archive_checkpoints")]
    [InlineData("UPDATE archive_cosignatures SET device_id = 'x'")]
    [InlineData("DELETE FROM archive_cosignatures")]
    [InlineData("UPDATE archive_logs SET size = 0")]
    [InlineData("DELETE FROM archive_logs")]
    [InlineData("UPDATE envelopes SET envelope = envelope")]
    [InlineData("DELETE FROM envelopes")]
    [InlineData("UPDATE epoch_records SET record = record")]
    [InlineData("DELETE FROM epoch_records")]
    public async Task ArchivedRows_UpdateOrDelete_RefusedByTheDatabase(string sql)
    {
        // Arrange: one row in every archived table.
        var review = await SeedReviewAsync(withItems: true);
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new ArchiveWriter(new CheckpointSignal()).AppendAsync(
                db, review, [ArchiveRecord.Stored(ArchiveEntryKind.StageChange, "s"u8.ToArray(), DateTimeOffset.UnixEpoch)], default);
            var connection = db.Database.GetDbConnection();
            await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(),
                "INSERT INTO archive_checkpoints (review_id, tree_size, signed_at, note) VALUES (@r, 1, 1, 'n')", c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
            await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(),
                "INSERT INTO archive_cosignatures (review_id, tree_size, device_id, cosigned_at, entry_idx) VALUES (@r, 1, 'd', 1, 0)", c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
            await transaction.CommitAsync();
        }

        await using var attempt = NewContext();
        var before = await CountsAsync(attempt);

        // Act
        var error = await Record.ExceptionAsync(() => ScalarAsync(attempt, sql));

        // Assert: refused with the triggers' message; every table still holds what it held.
        Assert.NotNull(error);
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(attempt));
    }

    private static async Task<long[]> CountsAsync(MessagingDbContext db)
    {
        var counts = new List<long>();
        foreach (var table in new[] { "archive_entries", "archive_nodes", "archive_checkpoints", "archive_cosignatures", "envelopes", "epoch_records" })
        {
            counts.Add(Convert.ToInt64(await ScalarAsync(db, $"SELECT count(*) FROM {table}"), CultureInfo.InvariantCulture));
        }

        counts.Add(Convert.ToInt64(await ScalarAsync(db, "SELECT sum(size) FROM archive_logs"), CultureInfo.InvariantCulture));
        return [.. counts];
    }

    [Fact]
    public async Task EnvelopeForm_FixedPerLog_OldLogsKeepWholeEnvelopesNewLogsSummariesWithTheEnvelopeBeside()
    {
        // Arrange: a log created before migration 0011 (its row has the default form) and one created now, each with the
        // same real envelope stored in its channel.
        using var device = Vault.Keys.DeviceIdentity.Create();
        var old = await SeedReviewAsync(withItems: true);
        var created = await SeedReviewAsync(withItems: true);
        var (_, key) = Vault.Channels.EpochRecordBuilder.Genesis(device, old, Vault.Channels.ChannelId.Dialogue,
            [new Vault.Channels.MemberDevice(device.PublicKeys, MayManage: true)], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        using var epochKey = key;
        var envelope = Vault.Envelopes.EnvelopeSealer.Seal(device, epochKey, 1,
            new Vault.Envelopes.EnvelopeDraft { Review = old, Channel = Vault.Channels.ChannelId.Dialogue, Language = Vault.Envelopes.LanguageTag.English, Segments = [Vault.Envelopes.Segment.Text("Withheld text.")] },
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var summary = Vault.Envelopes.EnvelopeSummary.Of(envelope).Encode();
        var writer = new ArchiveWriter(new CheckpointSignal());
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        var forms = new List<Vault.Publication.EnvelopeEntryForm>();
        foreach (var (review, fresh) in new[] { (old, false), (created, true) })
        {
            await using var db = NewContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var connection = db.Database.GetDbConnection();
            if (fresh)
            {
                await ArchiveWriter.CreateLogAsync(db, review, default);
            }
            else
            {
                await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(), "INSERT INTO archive_logs (review_id, size) VALUES (@r, 0)",
                    c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
            }

            var sender = await db.Envelopes.Where(e => e.ReviewId == review).Select(e => e.SenderDevice).SingleAsync();
            db.Envelopes.Add(new EnvelopeEntity
            {
                ReviewId = review, Channel = "dialogue", Sequence = 2, SenderDevice = sender, Counter = 2,
                ClientMessageId = Guid.NewGuid(), Epoch = 0, Envelope = envelope.Encoded.ToArray(), StoredAt = at,
            });
            await db.SaveChangesAsync();

            // Act: the envelope writer's path: the log's form, then the record in that form.
            var form = await writer.EnvelopeFormAsync(db, review, default);
            forms.Add(form);
            await writer.AppendAsync(db, review, [ArchiveRecord.Envelope("dialogue", 2, envelope, at, form)], default);
            await transaction.CommitAsync();
        }

        // Assert: the old log holds the whole envelope, the new one the summary with the envelope beside it; both entries
        // rebuild to their stored leaves, and the served form says which.
        Assert.Equal([Vault.Publication.EnvelopeEntryForm.WholeEnvelope, Vault.Publication.EnvelopeEntryForm.Summary], forms);
        await using var read = NewContext();
        var reader = new ArchiveReader(read);
        var whole = Assert.Single(await reader.ReadEntriesAsync(old, 0, 10, default));
        var summarised = Assert.Single(await reader.ReadEntriesAsync(created, 0, 10, default));
        Assert.Equal(envelope.Encoded.ToArray(), whole.Payload.ToArray());
        Assert.Null(whole.Envelope);
        Assert.Equal(summary, summarised.Payload.ToArray());
        Assert.Equal(envelope.Encoded.ToArray(), summarised.Envelope);
        Assert.Equal(ArchiveEntry.Create(created, 0, ArchiveEntryKind.Envelope, at, summary).Encode(), summarised.Encoded);
        Assert.True(summarised.Encoded.AsSpan().IndexOf(envelope.Ciphertext.Span[..32]) < 0);
        Assert.Equal(Vault.Publication.EnvelopeEntryForm.WholeEnvelope, (await reader.IndexesOfAsync(old, ArchiveEntryKind.Envelope, "dialogue", 2, 2, default))[2].Form);
        Assert.Equal(new ArchivedAt(0, Vault.Publication.EnvelopeEntryForm.Summary), (await reader.IndexesOfAsync(created, ArchiveEntryKind.Envelope, "dialogue", 2, 2, default))[2]);

        // A log's form never changes.
        await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(read, "UPDATE archive_logs SET envelope_form = 0"));
    }

    private protected async Task AppendLeavesAsync(Guid review, IReadOnlyList<byte[]> leaves)
    {
        await using var db = NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(), "INSERT INTO archive_logs (review_id, size) VALUES (@r, 0)",
            c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
        await new MerkleLog(new DbMerkleNodeStore(connection, transaction.GetDbTransaction(), review, 0))
            .AppendAsync(0, [.. leaves.Select(l => (ReadOnlyMemory<byte>)l)]);
        await transaction.CommitAsync();
    }

    private protected MessagingDbContext NewContext()
    {
        var builder = new DbContextOptionsBuilder<MessagingDbContext>();
        _target.Configure(builder);
        return new MessagingDbContext(builder.Options);
    }

    private protected static async Task<object?> ScalarAsync(MessagingDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private protected async Task<Guid> SeedReviewAsync(bool withItems = false)
    {
        await using var db = NewContext();
        var account = new AccountEntity { Id = Guid.NewGuid(), Issuer = "http://127.0.0.1:5080/dev", Subject = "s-" + Guid.NewGuid(), DisplayName = "Staff", CreatedAt = DateTimeOffset.UnixEpoch };
        var review = new ReviewEntity { Id = Guid.NewGuid(), Title = "Review", Languages = "en", CreatedBy = account.Id, CreatedAt = DateTimeOffset.UnixEpoch };
        db.Accounts.Add(account);
        db.Reviews.Add(review);
        if (withItems)
        {
            var device = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            db.Devices.Add(new DeviceEntity { DeviceId = device, AccountId = account.Id, Card = new byte[130], RegisteredAt = DateTimeOffset.UnixEpoch });
            db.Channels.Add(new ChannelEntity { ReviewId = review.Id, Name = "dialogue" });
            db.EpochRecords.Add(new EpochRecordEntity { ReviewId = review.Id, Channel = "dialogue", Epoch = 0, AuthorDevice = device, Record = [1], RecordHash = new byte[32], StoredAt = DateTimeOffset.UnixEpoch });
            db.Envelopes.Add(new EnvelopeEntity
            {
                ReviewId = review.Id, Channel = "dialogue", Sequence = 1, SenderDevice = device, Counter = 1,
                ClientMessageId = Guid.NewGuid(), Epoch = 0, Envelope = [1, 2, 3], StoredAt = DateTimeOffset.UnixEpoch,
            });
        }

        await db.SaveChangesAsync();
        return review.Id;
    }
}

public sealed class ArchiveStoreSqliteTests : ArchiveStoreTests
{
    protected override Engine Engine => Engine.Sqlite;

    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Proof_InALogOfAMillionEntries_ReadsLogarithmicallyManyNodesInOneQuery()
    {
        // Arrange: 10^6 leaves (2 * 10^6 - popcount nodes) in the database, appended in batches of 50 000.
        const int Size = 1_000_000;
        var review = await SeedReviewAsync();
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var connection = db.Database.GetDbConnection();
            await ArchiveSql.ExecuteAsync(connection, transaction.GetDbTransaction(), "INSERT INTO archive_logs (review_id, size) VALUES (@r, 0)",
                c => ArchiveSql.Add(c, "@r", ArchiveSql.Review(connection, review)), default);
            var log = new MerkleLog(new DbMerkleNodeStore(connection, transaction.GetDbTransaction(), review, 0));
            for (var start = 0; start < Size; start += 50_000)
            {
                var leaves = Enumerable.Range(start, 50_000).Select(i => (ReadOnlyMemory<byte>)MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
                await log.AppendAsync(start, leaves);
            }

            await transaction.CommitAsync();
        }

        await using var read = NewContext();
        await read.Database.OpenConnectionAsync();
        var bound = 2 * (int)Math.Ceiling(Math.Log2(Size));

        // Act: an inclusion proof, a consistency proof and a root, each from a fresh store (nothing cached).
        var inclusionStore = new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review);
        var inclusion = await new MerkleLog(inclusionStore).GetInclusionProofAsync(765_432, Size);
        var consistencyStore = new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review);
        var consistency = await new MerkleLog(consistencyStore).GetConsistencyProofAsync(654_321, Size);
        var rootStore = new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review);
        var root = await new MerkleLog(rootStore).GetRootAsync(Size);

        // Assert: one query for the size and one for all nodes of a proof; at most 2 ceil(log2 n) nodes; and the proofs verify.
        Assert.Equal(2, inclusionStore.Queries);
        Assert.InRange(inclusionStore.NodeReads, 1, bound);
        Assert.Equal(2, consistencyStore.Queries);
        Assert.InRange(consistencyStore.NodeReads, 1, bound);
        Assert.True(MerkleProofs.VerifyInclusion(MerkleHash.Leaf(BitConverter.GetBytes(765_432)), 765_432, Size, root, inclusion));
        var oldRoot = await new MerkleLog(new DbMerkleNodeStore(read.Database.GetDbConnection(), null, review)).GetRootAsync(654_321);
        Assert.True(MerkleProofs.VerifyConsistency(654_321, Size, oldRoot, root, consistency));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ArchiveStorePostgresTests(PostgresFixture postgres) : ArchiveStoreTests
{
    protected override Engine Engine => Engine.Postgres;

    protected override async Task<string?> CreateDatabaseAsync() => await postgres.CreateDatabaseAsync();
}
