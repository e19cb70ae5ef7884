using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Archive;

/// <summary>The archive log's settings (configuration section <c>Archive</c>, docs/server.md "Archive").</summary>
internal sealed class ArchiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Archive";

    /// <summary>The embedded profile's generated key file in the data directory.</summary>
    public const string DefaultKeyFileName = "archive-log-key";

    /// <summary>A checkpoint is signed once this many entries were appended since the last one. <value>Default 64.</value></summary>
    public int CheckpointEveryEntries { get; set; } = 64;

    /// <summary>
    /// ... or once the oldest entry not covered by a checkpoint is this old (and the log grew). <value>Default 5 seconds.</value>
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The current tree is signed again with a fresh time at least this often, even when nothing was appended, so
    /// clients can tell a quiet log from a frozen one. At most half of the clients' <see cref="LogViewOptions.MaxAge"/>
    /// (24 hours). <value>Default 6 hours.</value>
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The log key's 32-byte Ed25519 seed file (raw bytes, owner-only). Required by the production profile; the
    /// embedded profile generates <c>{Data:Directory}/archive-log-key</c> when unset.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>The log key's signed-note name. <value>Default <c>securedialogue-archive</c>.</value></summary>
    public string KeyName { get; set; } = CheckpointSigner.DefaultKeyName;

    /// <summary>
    /// The log's current key's first tree size (0 unless the key replaced another; docs/protocol.md 16.6). Served
    /// with the key so clients know its range.
    /// </summary>
    public long KeyFirstTreeSize { get; set; }

    /// <summary>
    /// Retired log keys, as <c>VERIFIERKEY FIRST LAST</c> (signed-note verifier key and its inclusive range of tree sizes),
    /// served with the current key so clients keep verifying old checkpoints (docs/protocol.md 16.6).
    /// </summary>
    public List<string> RetiredKeys { get; set; } = [];

    /// <summary>The retired keys parsed; invalid lines are reported by validation.</summary>
    internal IReadOnlyList<ArchiveLogKey> ParseRetiredKeys()
    {
        var keys = new List<ArchiveLogKey>();
        foreach (var line in RetiredKeys)
        {
            if (TryParseRetired(line, out var key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static bool TryParseRetired(string line, out ArchiveLogKey key)
    {
        key = null!;
        var parts = (line ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var first) ||
            !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var last) || first < 0 || last < first)
        {
            return false;
        }

        if (!ArchiveLogKey.FromVerifierKey(parts[0], first, last).TryGetValue(out var parsed, out _))
        {
            return false;
        }

        key = parsed;
        return true;
    }

    /// <summary>A signed-note key name: non-empty, no white space, no '+', no control character.</summary>
    internal static bool IsKeyName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 255 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+');

    internal sealed class Validator(IOptions<ServerOptions> server) : IValidateOptions<ArchiveOptions>
    {
        public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
        {
            var failures = new List<string>();
            if (options.CheckpointEveryEntries is < 1 or > 1_000_000)
            {
                failures.Add($"Archive:CheckpointEveryEntries is {options.CheckpointEveryEntries}; use 1 to 1000000.");
            }

            if (options.CheckpointInterval < TimeSpan.FromMilliseconds(100) || options.CheckpointInterval > TimeSpan.FromHours(1))
            {
                failures.Add($"Archive:CheckpointInterval is {options.CheckpointInterval}; use 00:00:00.1 to 01:00:00.");
            }

            if (options.RefreshInterval < options.CheckpointInterval || options.RefreshInterval > TimeSpan.FromHours(12))
            {
                failures.Add($"Archive:RefreshInterval is {options.RefreshInterval}; use Archive:CheckpointInterval to 12:00:00 (half the clients' 24-hour freshness limit).");
            }

            if (!IsKeyName(options.KeyName))
            {
                failures.Add($"Archive:KeyName '{options.KeyName}' is not a signed-note key name (non-empty, no space, '+' or control character).");
            }

            if (options.KeyFirstTreeSize < 0)
            {
                failures.Add("Archive:KeyFirstTreeSize must not be negative.");
            }

            foreach (var line in options.RetiredKeys)
            {
                if (!TryParseRetired(line, out _))
                {
                    failures.Add($"Archive:RetiredKeys entry '{line}' is not 'VERIFIERKEY FIRST LAST'.");
                }
            }

            if (string.IsNullOrWhiteSpace(options.KeyFile))
            {
                if (server.Value.ParsedProfile == ServerProfile.Production)
                {
                    failures.Add("Archive:KeyFile is required by the production profile: a file holding the log key's 32-byte Ed25519 seed, readable by the server only.");
                }
            }
            else if (!File.Exists(options.KeyFile))
            {
                failures.Add($"Archive:KeyFile {options.KeyFile} does not exist.");
            }
            else if (new FileInfo(options.KeyFile).Length != CheckpointSigner.SeedSize)
            {
                failures.Add($"Archive:KeyFile {options.KeyFile} must hold exactly {CheckpointSigner.SeedSize} bytes (the raw Ed25519 seed).");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
