using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// Security bar 19: everything a running server stored and logged, taken as it is: every row of every table of its
/// database (SQLite or PostgreSQL), every file under its data directory (for SQLite the raw database, write-ahead log
/// and index pages too, which also hold deleted and not yet checkpointed data), and every captured log entry. A test
/// then searches it for a plaintext marker in every encoding the server could have leaked it in, and compares its
/// tables, columns and files with <see cref="StorageAllowList"/>.
/// </summary>
internal sealed class MetadataAudit
{
    private readonly List<(string Where, byte[] Bytes)> _items = [];

    private MetadataAudit()
    {
    }

    /// <summary>Every table with its columns, as the database reports them.</summary>
    public Dictionary<string, List<string>> Columns { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file under the data directory, relative to it.</summary>
    public List<string> Files { get; } = [];

    /// <summary>How many table rows, files and log entries were taken.</summary>
    public (int Rows, int Files, int LogEntries) Counts { get; private set; }

    /// <summary>An audit over given items (to test the search itself).</summary>
    public static MetadataAudit Of(params (string Where, byte[] Bytes)[] items)
    {
        var audit = new MetadataAudit();
        audit._items.AddRange(items);
        return audit;
    }

    /// <summary>Takes the snapshot of a running server.</summary>
    public static async Task<MetadataAudit> TakeAsync(MessagingHost host)
    {
        var audit = new MetadataAudit();
        var target = host.Services.GetRequiredService<DatabaseTarget>();
        var rows = await audit.DumpDatabaseAsync(target);
        foreach (var path in System.IO.Directory.EnumerateFiles(host.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(host.DataDirectory, path);
            audit.Files.Add(name);

            // The server has these files open: share every access.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            audit._items.Add(($"file {name}", copy.ToArray()));
        }

        var entries = host.Logs.Entries;
        foreach (var entry in entries)
        {
            audit._items.Add(($"log {entry.Category}[{entry.EventId.Id}]", Encoding.UTF8.GetBytes(entry.ToString())));
        }

        audit.Counts = (rows, audit.Files.Count, entries.Count);
        return audit;
    }

    /// <summary>Where any of the encodings of <paramref name="secret"/> (<see cref="EncodingsOf"/>) occurs.</summary>
    public List<string> Find(string secret) => FindPatterns(EncodingsOf(secret));

    /// <summary>Where <paramref name="value"/> occurs as it is, in hexadecimal or in base64.</summary>
    public List<string> FindBytes(byte[] value) => FindPatterns(
    [
        ("raw", value),
        ("hex", System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(value))),
        ("base64", System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(value))),
    ]);

    private List<string> FindPatterns(List<(string Name, byte[] Bytes)> patterns)
    {
        return
        [
            .. _items
                .SelectMany(item => patterns.Where(p => item.Bytes.AsSpan().IndexOf(p.Bytes) >= 0).Select(p => $"{item.Where} ({p.Name})"))
                .Distinct(StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// The byte patterns of a text as a server could store or log it: UTF-8, UTF-16 (both orders), hexadecimal (both
    /// cases) and base64 (standard and URL alphabets, at each of the three alignments it can have inside a longer value;
    /// only the characters that depend on the text alone).
    /// </summary>
    public static List<(string Name, byte[] Bytes)> EncodingsOf(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var patterns = new List<(string, byte[])>
        {
            ("utf-8", utf8),
            ("utf-16le", Encoding.Unicode.GetBytes(text)),
            ("utf-16be", Encoding.BigEndianUnicode.GetBytes(text)),
            ("hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8))),
            ("HEX", Encoding.ASCII.GetBytes(Convert.ToHexString(utf8))),
        };
        for (var offset = 0; offset < 3; offset++)
        {
            // With `offset` bytes before it, the first 4-character group is shared with those bytes unless offset is 0,
            // and a last, incomplete 3-byte group is shared with what follows: only the groups between are certain.
            var encoded = Convert.ToBase64String([.. new byte[offset], .. utf8]);
            var stable = encoded[(offset == 0 ? 0 : 4)..((offset + utf8.Length) / 3 * 4)];
            patterns.Add(($"base64+{offset}", Encoding.ASCII.GetBytes(stable)));
            patterns.Add(($"base64url+{offset}", Encoding.ASCII.GetBytes(stable.Replace('+', '-').Replace('/', '_'))));
        }

        return patterns;
    }

    private async Task<int> DumpDatabaseAsync(DatabaseTarget target)
    {
        await using DbConnection connection = target.Engine == DatabaseEngine.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(target.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
            : new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = target.Engine == DatabaseEngine.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = 0;
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            Columns[table] = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
            while (await reader.ReadAsync())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _items.Add(($"{table}.{reader.GetName(i)}", ToBytes(reader.GetValue(i))));
                }
            }
        }

        return rows;
    }

    private static byte[] ToBytes(object value) => value switch
    {
        byte[] bytes => bytes,
        DBNull => [],
        string text => Encoding.UTF8.GetBytes(text),
        IFormattable formattable => Encoding.UTF8.GetBytes(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => Encoding.UTF8.GetBytes(value.ToString() ?? string.Empty),
    };
}
