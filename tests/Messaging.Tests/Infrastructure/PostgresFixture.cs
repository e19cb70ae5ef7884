using System.Diagnostics;
using Npgsql;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 for the tests: the one named by <c>SDLG_TEST_POSTGRES</c> (test.sh starts it), else the
/// cluster of <c>scripts/postgres.sh</c>, started here and stopped (deleted) at the end if it was not running. Each
/// test class gets fresh databases, dropped at the end.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly Lock _gate = new();
    private Task<MessagingHost>? _starting;
    private bool _startedHere;

    /// <summary>The maintenance connection string (database <c>postgres</c>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("SDLG_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        var running = await RunScriptAsync("url", allowFailure: true);
        if (running.ExitCode == 0)
        {
            ConnectionString = running.Output;
            return;
        }

        var started = await RunScriptAsync("start", allowFailure: false);
        ConnectionString = started.Output;
        _startedHere = true;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "sdlg_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>One server on its own PostgreSQL database, shared by the collection's tests (each makes its own review).</summary>
    public async Task<MessagingHost> GetHostAsync()
    {
        lock (_gate)
        {
            _starting ??= MessagingHost.StartAsync(Engine.Postgres, this);
        }

        return await _starting;
    }

    public async Task DisposeAsync()
    {
        if (_starting is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
        if (ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var name in _databases)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        if (_startedHere)
        {
            await RunScriptAsync("stop", allowFailure: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string verb, bool allowFailure)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed ({process.ExitCode}): {await error}");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, lines.Length == 0 ? string.Empty : lines[^1]);
    }
}

/// <summary>Every class that needs PostgreSQL shares one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
