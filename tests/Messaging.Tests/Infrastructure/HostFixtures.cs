namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>Gives a test class one running server on its engine, started on first use and stopped at the end.</summary>
public interface IHostSource
{
    Engine Engine { get; }

    Task<MessagingHost> GetHostAsync();
}

/// <summary>A shared SQLite-backed server for one test class.</summary>
public sealed class SqliteHostFixture : IHostSource, IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<MessagingHost>? _starting;

    public Engine Engine => Engine.Sqlite;

    public async Task<MessagingHost> GetHostAsync()
    {
        lock (_gate)
        {
            _starting ??= MessagingHost.StartAsync(Engine.Sqlite);
        }

        return await _starting;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_starting is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
    }
}

/// <summary>A server on a fresh PostgreSQL database of the shared cluster, for one test class instance.</summary>
public sealed class PostgresHostSource(PostgresFixture postgres) : IHostSource
{
    public Engine Engine => Engine.Postgres;

    public Task<MessagingHost> GetHostAsync() => postgres.GetHostAsync();
}
