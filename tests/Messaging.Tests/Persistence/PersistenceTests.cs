using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Persistence;

/// <summary>Migrations, constraints and column mapping, on a real SQLite file and a real PostgreSQL database.</summary>
public abstract class PersistenceTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private DatabaseTarget _target = null!;

    protected abstract Engine Engine { get; }

    /// <summary>A connection string to a new, empty database (PostgreSQL), or null for the data directory's SQLite file.</summary>
    protected abstract Task<string?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        _target = new DatabaseTarget(
            Options.Create(new DatabaseOptions { Engine = Engine.ToString(), ConnectionString = connectionString }),
            Options.Create(new ServerOptions()),
            Options.Create(new DataDirectoryOptions { Directory = _data.Path }));
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
    public async Task Apply_OnEmptyDatabaseThenAgain_CreatesTheSchemaOnceAndRecordsIt()
    {
        // Arrange
        await using var db = NewContext();
        var runner = new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance);

        // Act
        var first = await runner.ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default);
        var second = await runner.ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default);

        // Assert
        Assert.Equal(SqlMigration.For(_target.Engine).Count, first);
        Assert.Equal(0, second);
        Assert.Equal(first, Convert.ToInt32(await ScalarAsync(db, "SELECT count(*) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await db.Envelopes.CountAsync());
    }

    [Fact]
    public async Task Apply_AfterAReleasedScriptChanged_Refuses()
    {
        // Arrange
        await using var db = await MigratedContextAsync();
        await ScalarAsync(db, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");

        // Act
        var error = await Assert.ThrowsAsync<DatabaseStartupException>(() =>
            new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default));

        // Assert
        Assert.Contains("must not be edited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DatabaseNewerThanTheServer_Refuses()
    {
        // Arrange
        await using var db = await MigratedContextAsync();
        var now = _target.Engine == DatabaseEngine.Postgres ? "now()" : "'2026-01-01'";
        await ScalarAsync(db, $"INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'future', 'x', {now})");

        // Act
        var error = await Assert.ThrowsAsync<DatabaseStartupException>(() =>
            new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default));

        // Assert
        Assert.Contains("newer than this server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Envelopes_SameClientMessageIdOrCounterTwice_RefusedByUniqueConstraints()
    {
        // Arrange
        await using var db = await MigratedContextAsync();
        var (review, device) = await SeedChannelAsync(db);
        var messageId = Guid.NewGuid();
        db.Envelopes.Add(Envelope(review, device, sequence: 1, counter: 1, messageId));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Act
        db.Envelopes.Add(Envelope(review, device, sequence: 2, counter: 2, messageId));
        var sameMessage = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.Envelopes.Add(Envelope(review, device, sequence: 2, counter: 1, Guid.NewGuid()));
        var sameCounter = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.Envelopes.Add(Envelope(review, device, sequence: 1, counter: 3, Guid.NewGuid()));
        var sameSequence = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        // Assert
        Assert.NotNull(sameMessage.InnerException);
        Assert.NotNull(sameCounter.InnerException);
        Assert.NotNull(sameSequence.InnerException);
        Assert.Equal(1, await db.Envelopes.CountAsync());
    }

    [Fact]
    public async Task Rows_WrittenAndReadInFreshContexts_RoundTripEveryColumn()
    {
        // Arrange
        var (review, device) = (Guid.Empty, string.Empty);
        var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_123_456);
        var messageId = Guid.NewGuid();
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        await using (var db = await MigratedContextAsync())
        {
            (review, device) = await SeedChannelAsync(db);
            db.Envelopes.Add(new EnvelopeEntity
            {
                ReviewId = review, Channel = "dialogue", Sequence = 1, SenderDevice = device, Counter = long.MaxValue,
                ClientMessageId = messageId, Epoch = uint.MaxValue, Envelope = bytes, StoredAt = storedAt,
            });
            await db.SaveChangesAsync();
        }

        // Act
        await using var fresh = NewContext();
        var envelope = await fresh.Envelopes.SingleAsync(e => e.ReviewId == review && e.ClientMessageId == messageId);
        var member = await fresh.ReviewMembers.SingleAsync(m => m.ReviewId == review && m.StateCode == null);
        var deviceRow = await fresh.Devices.SingleAsync(d => d.DeviceId == device);

        // Assert
        Assert.Equal(long.MaxValue, envelope.Counter);
        Assert.Equal((long)uint.MaxValue, envelope.Epoch);
        Assert.Equal(bytes, envelope.Envelope);
        Assert.Equal(storedAt, envelope.StoredAt);
        Assert.Equal(MemberRole.Secretariat, member.Role);
        Assert.Null(deviceRow.RevokedAt);
    }

    [Fact]
    public async Task Schema_HoldsOnlyTheColumnsTheThreatModelAllows()
    {
        // Arrange: docs/threat-model.md section 8, "Server" column: identities, cards, membership, opaque items with
        // the header fields the server checks, server-assigned sequence and times. Nothing else may appear.
        var allowed = StorageAllowList.Columns;
        await using var db = await MigratedContextAsync();

        // Act
        var actual = await ColumnsAsync(db);

        // Assert
        Assert.Equal(allowed.Keys.Order(), actual.Keys.Order());
        foreach (var (table, columns) in allowed)
        {
            Assert.Equal(columns.Order(), actual[table].Order());
        }
    }

    private protected MessagingDbContext NewContext()
    {
        var builder = new DbContextOptionsBuilder<MessagingDbContext>();
        _target.Configure(builder);
        return new MessagingDbContext(builder.Options);
    }

    private protected async Task<MessagingDbContext> MigratedContextAsync()
    {
        var db = NewContext();
        await new MigrationRunner(TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(db.Database.GetDbConnection(), _target.Engine, default);
        return db;
    }

    private protected static async Task<object?> ScalarAsync(MessagingDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<(Guid Review, string Device)> SeedChannelAsync(MessagingDbContext db)
    {
        var account = new AccountEntity { Id = Guid.NewGuid(), Issuer = "http://127.0.0.1:5080/dev", Subject = "s-" + Guid.NewGuid(), DisplayName = "Staff", CreatedAt = DateTimeOffset.UnixEpoch };
        var review = new ReviewEntity { Id = Guid.NewGuid(), Title = "Review", Languages = "en", CreatedBy = account.Id, CreatedAt = DateTimeOffset.UnixEpoch };
        var device = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        db.Accounts.Add(account);
        db.Reviews.Add(review);
        db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = review.Id, AccountId = account.Id, StateCode = null, Role = MemberRole.Secretariat });
        db.Devices.Add(new DeviceEntity { DeviceId = device, AccountId = account.Id, Card = new byte[130], RegisteredAt = DateTimeOffset.UnixEpoch });
        db.Channels.Add(new ChannelEntity { ReviewId = review.Id, Name = "dialogue" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return (review.Id, device);
    }

    private static EnvelopeEntity Envelope(Guid review, string device, long sequence, long counter, Guid messageId) => new()
    {
        ReviewId = review, Channel = "dialogue", Sequence = sequence, SenderDevice = device, Counter = counter,
        ClientMessageId = messageId, Epoch = 0, Envelope = [1, 2, 3], StoredAt = DateTimeOffset.UnixEpoch,
    };

    private async Task<Dictionary<string, List<string>>> ColumnsAsync(MessagingDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        var result = new Dictionary<string, List<string>>();
        var sql = _target.Engine == DatabaseEngine.Postgres
            ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
            : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'";
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!result.TryGetValue(table, out var columns))
            {
                result[table] = columns = [];
            }

            columns.Add(reader.GetString(1));
        }

        return result;
    }
}

public sealed class PersistenceSqliteTests : PersistenceTests
{
    protected override Engine Engine => Engine.Sqlite;

    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Connection_UsesWriteAheadLogWithFullSync()
    {
        // Arrange
        await using var db = await MigratedContextAsync();
        await db.Database.OpenConnectionAsync();

        // Act
        var mode = await ScalarAsync(db, "PRAGMA journal_mode");
        var synchronous = await ScalarAsync(db, "PRAGMA synchronous");
        var foreignKeys = await ScalarAsync(db, "PRAGMA foreign_keys");

        // Assert
        Assert.Equal("wal", mode);
        Assert.Equal(2L, synchronous);
        Assert.Equal(1L, foreignKeys);
    }

    [Fact]
    public async Task Connection_ReopenedFromThePool_KeepsFullSyncForeignKeysAndBusyTimeout()
    {
        // Arrange: a context whose connections EF opens (the migration runner opens its own directly), reopened from the pool.
        await (await MigratedContextAsync()).DisposeAsync();
        await using var db = NewContext();

        // Act
        var results = new List<(object? Synchronous, object? ForeignKeys, object? BusyTimeout)>();
        for (var i = 0; i < 3; i++)
        {
            await db.Database.OpenConnectionAsync();
            results.Add((await ScalarAsync(db, "PRAGMA synchronous"), await ScalarAsync(db, "PRAGMA foreign_keys"), await ScalarAsync(db, "PRAGMA busy_timeout")));
            await db.Database.CloseConnectionAsync();
        }

        // Assert
        Assert.All(results, r => Assert.Equal((2L, 1L, 30000L), ((long)r.Synchronous!, (long)r.ForeignKeys!, (long)r.BusyTimeout!)));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PersistencePostgresTests(PostgresFixture postgres) : PersistenceTests
{
    protected override Engine Engine => Engine.Postgres;

    protected override async Task<string?> CreateDatabaseAsync() => await postgres.CreateDatabaseAsync();
}
