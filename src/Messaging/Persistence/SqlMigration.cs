using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// One versioned schema change: <c>Migrations/ENGINE/NNNN_name.sql</c>, embedded as <c>migrations/ENGINE/NNNN_name.sql</c>.
/// Scripts are never edited once released: the runner stores each script's SHA-256 and refuses to start when a
/// released script changed.
/// </summary>
internal sealed record SqlMigration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script text, lower-case hex.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The engine's migrations in version order.</summary>
    public static IReadOnlyList<SqlMigration> For(DatabaseEngine engine)
    {
        var assembly = typeof(SqlMigration).Assembly;
        var prefix = $"migrations/{engine}/";
        var migrations = new List<SqlMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator != 4 || !int.TryParse(fileName.AsSpan(0, 4), out var version) || !fileName.EndsWith(".sql", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            migrations.Add(new SqlMigration(version, fileName[(separator + 1)..^4], Read(assembly, resource)));
        }

        // Numbers increase and are unique; gaps are allowed, so that parallel branches can reserve ranges (the archive's
        // migrations start at 0010). A database is up to date when every known number is applied.
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version < 1 || (i > 0 && migrations[i].Version == migrations[i - 1].Version))
            {
                throw new InvalidOperationException($"{engine} migrations must have unique positive numbers; found {migrations[i].Version:D4} twice or out of range.");
            }
        }

        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource '{resource}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
