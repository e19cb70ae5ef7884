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

        // D5: review set-up; D6: stage and the date it was entered.
        ["reviews"] = ["id", "title", "languages", "created_by", "created_at", "review_group", "phase", "clusters", "stage", "start_date", "stage_entered_on"],
        ["review_states"] = ["review_id", "state_code", "role", "instruments"],

        // D6: stage changes; D7: signed disclosure policy statements; D8: the States-parties registry.
        ["review_stage_events"] = ["review_id", "sequence", "from_stage", "to_stage", "account_id", "occurred_at"],
        ["disclosure_policies"] = ["review_id", "version", "statement", "signer_device", "signer_account", "metadata_level", "content_channels", "issued_at", "stored_at"],
        ["states_parties"] = ["code", "name", "regional_group", "instruments", "updated_at"],

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

        // F1-F3 (attachments): which channel an opaque blob belongs to, its uploader, its padded ciphertext length and
        // ciphertext hashes (BLAKE2b-256 as its name, SHA-256 as in its archive entry), and the uploads in progress
        // (docs/threat-model.md section 8).
        ["blob_uploads"] = ["upload_id", "review_id", "channel", "account_id", "length", "blob_id", "created_at"],
        ["blobs"] = ["review_id", "channel", "blob_id", "uploaded_by", "length", "stored_at", "sha256"],
        // R1: the archive log (docs/server.md "Archive"): log sizes, entry metadata (kind, receive time, payload length
        // and SHA-256, the channel and item number of an envelope or epoch record whose bytes are already stored above,
        // server-written membership payloads, cosigned checkpoints), subtree hashes and signed checkpoints.
        ["archive_logs"] = ["review_id", "size", "envelope_form"],
        ["archive_entries"] = ["review_id", "idx", "kind", "received_at", "target", "form", "payload_length", "payload_sha256", "channel", "source_number", "payload"],
        ["archive_nodes"] = ["review_id", "level", "idx", "hash"],
        ["archive_checkpoints"] = ["review_id", "tree_size", "signed_at", "note"],

        // R3: cosignatures: which member device cosigned which tree size, and when.
        ["archive_cosignatures"] = ["review_id", "tree_size", "device_id", "cosigned_at", "entry_idx"],

        // R2: receipts of sealed bundles: where each is stored, its SHA-256 and size, the tree it seals, the attachment
        // mode, which account sealed it and when (the bundle itself holds only what the rows above hold).
        ["sealed_bundles"] =
        [
            "review_id", "name", "backend", "object_key", "version_id", "sha256", "size", "retain_until", "tree_size", "root",
            "seal_digest", "attachments", "sealed_by", "sealed_at",
        ],

        // P1: publication records a State chose to publish (the record is public or for all States parties), the fields
        // the server read from the verified record to list and serve it, and the withdrawals.
        ["publications"] =
        [
            "id", "review_id", "audience", "channel", "item_sequence", "item_kind", "item_language", "authored_at", "author_state", "publisher_state",
            "publisher_account", "publisher_device", "segments", "disclosed", "published_at", "stored_at", "visible_from", "item_entry_idx", "entry_idx",
            "checkpoint_size", "checkpoint_root", "log_key", "cosigners", "record",
        ],
        ["publication_withdrawals"] = ["publication_id", "withdrawn_by", "withdrawn_at", "entry_idx"],

        // A1: authors' corrections and retractions (docs/protocol.md 21): the signed statement (envelope ids and counters,
        // never content), its author device, the channel sequences it names, when it was stored and its archive entries.
        ["amendments"] =
        [
            "id", "review_id", "channel", "action", "author_device", "target_sequence", "replacement_sequence", "statement", "stored_at", "entry_idx",
            "target_entry_idx",
        ],

        // The schema's own bookkeeping (script versions and checksums).
        ["schema_migrations"] = ["version", "name", "checksum", "applied_at"],
    };

    /// <summary>
    /// Files of the data directory: the SQLite database (embedded profile; its write-ahead log and shared memory index
    /// while it runs), the development token signing key (docs/server.md, "Signing in") and the embedded profile's archive
    /// log key (docs/server.md, "Archive").
    /// </summary>
    public static IReadOnlyList<string> DataFiles { get; } =
    [
        DatabaseOptions.SqliteFileName,
        DatabaseOptions.SqliteFileName + "-wal",
        DatabaseOptions.SqliteFileName + "-shm",
        DevSigningKey.FileName,
        SecureDialogue.Messaging.Archive.ArchiveOptions.DefaultKeyFileName,
    ];
}
