using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// docs/threat-model.md section 8, "Server" column, as storage: every table and column the server may hold, and every
/// file its data directory may hold. The schema tests (both engines) and the metadata audit (security bar 19) check
/// against this one list; a new column or file needs a row in section 8 first, then an entry here.
/// </summary>
internal static class StorageAllowList
{
    /// <summary>Tables and their columns.</summary>
    public static IReadOnlyDictionary<string, string[]> Columns { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // S4: issuer, subject, display name, secretariat flag, creation time.
        ["accounts"] = ["id", "issuer", "subject", "display_name", "is_secretariat", "created_at"],

        // D1: device card and id, owning account, registration and revocation times.
        ["devices"] = ["device_id", "account_id", "card", "registered_at", "revoked_at"],

        // D5: review set-up.
        ["reviews"] = ["id", "title", "languages", "created_by", "created_at"],
        ["review_states"] = ["review_id", "state_code", "role"],

        // D2: account <-> State <-> role.
        ["review_members"] = ["review_id", "account_id", "state_code", "role"],

        // D3: focal point nominations, trust statements (opaque signed bytes with the fields the server checks), review events.
        ["focal_points"] = ["id", "review_id", "state_code", "account_id", "nomination", "registered_by", "registered_at", "ended_at"],
        ["trust_statements"] = ["review_id", "position", "certifier_device", "sequence", "kind", "state_code", "subject_device", "subject_account", "statement", "statement_hash", "stored_at"],
        ["review_events"] = ["review_id", "position", "kind", "actor_account", "state_code", "subject_account", "subject_device", "detail", "at"],

        // S1 and M1: server-assigned sequence, current epoch.
        ["channels"] = ["review_id", "name", "last_sequence", "current_epoch"],

        // M1-M7: the opaque signed record with the fields the server checks (S2: receive time).
        ["epoch_records"] = ["review_id", "channel", "epoch", "author_device", "record", "record_hash", "stored_at"],

        // E1-E16: the opaque envelope with the header fields the server checks; S1, S2.
        ["envelopes"] = ["review_id", "channel", "sequence", "sender_device", "counter", "client_message_id", "epoch", "envelope", "stored_at"],

        // The schema's own bookkeeping (script versions and checksums).
        ["schema_migrations"] = ["version", "name", "checksum", "applied_at"],
    };

    /// <summary>
    /// Files of the data directory: the SQLite database (embedded profile; its write-ahead log and shared memory index
    /// while it runs) and the development token signing key (docs/server.md, "Signing in").
    /// </summary>
    public static IReadOnlyList<string> DataFiles { get; } =
    [
        DatabaseOptions.SqliteFileName,
        DatabaseOptions.SqliteFileName + "-wal",
        DatabaseOptions.SqliteFileName + "-shm",
        DevSigningKey.FileName,
    ];
}
