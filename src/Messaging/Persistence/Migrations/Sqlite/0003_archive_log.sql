-- SecureDialogue Messaging, schema version 10 (SQLite): the review archive log (docs/protocol.md section 16,
-- docs/server.md "Archive"). Append-only: triggers refuse every UPDATE and DELETE of archived rows, and of the
-- envelopes and epoch records whose bytes the log's entries carry; a log's size only grows.

CREATE TABLE archive_logs (
    review_id       TEXT    NOT NULL PRIMARY KEY REFERENCES reviews (id),
    size            INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0)
);

-- One row per entry. The entry's encoding is rebuilt from these fields and its payload: inline in `payload`, or, for
-- envelopes and epoch records, the bytes stored in `envelopes` (channel, sequence) or `epoch_records` (channel, epoch).
CREATE TABLE archive_entries (
    review_id       TEXT    NOT NULL,
    idx             INTEGER NOT NULL CHECK (idx >= 0),
    kind            INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 255),
    received_at     INTEGER NOT NULL,
    target          INTEGER NULL,
    form            INTEGER NOT NULL CHECK (form IN (0, 1)),
    payload_length  INTEGER NOT NULL CHECK (payload_length >= 0),
    payload_sha256  BLOB    NOT NULL CHECK (length(payload_sha256) = 32),
    channel         TEXT    NULL,
    source_number   INTEGER NULL,
    payload         BLOB    NULL,
    PRIMARY KEY (review_id, idx)
) WITHOUT ROWID;
CREATE INDEX ix_archive_entries_source ON archive_entries (review_id, kind, channel, source_number);

-- Complete subtree hashes by (level, index): level 0 are the leaf hashes.
CREATE TABLE archive_nodes (
    review_id       TEXT    NOT NULL,
    level           INTEGER NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx             INTEGER NOT NULL CHECK (idx >= 0),
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (review_id, level, idx)
) WITHOUT ROWID;

-- Every checkpoint the log signed, as its exact signed-note text.
CREATE TABLE archive_checkpoints (
    review_id       TEXT    NOT NULL,
    tree_size       INTEGER NOT NULL CHECK (tree_size >= 0),
    signed_at       INTEGER NOT NULL,
    note            TEXT    NOT NULL,
    PRIMARY KEY (review_id, tree_size, signed_at)
) WITHOUT ROWID;

-- Cosignatures received (each is also a Cosignature entry of the log, at entry_idx).
CREATE TABLE archive_cosignatures (
    review_id       TEXT    NOT NULL,
    tree_size       INTEGER NOT NULL CHECK (tree_size >= 0),
    device_id       TEXT    NOT NULL,
    cosigned_at     INTEGER NOT NULL,
    entry_idx       INTEGER NOT NULL,
    PRIMARY KEY (review_id, tree_size, device_id, cosigned_at)
) WITHOUT ROWID;

CREATE TRIGGER tr_archive_logs_no_delete BEFORE DELETE ON archive_logs BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_logs_grow_only BEFORE UPDATE ON archive_logs WHEN NEW.size < OLD.size OR NEW.review_id <> OLD.review_id
BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_entries_no_update BEFORE UPDATE ON archive_entries BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_entries_no_delete BEFORE DELETE ON archive_entries BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_nodes_no_update BEFORE UPDATE ON archive_nodes BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_nodes_no_delete BEFORE DELETE ON archive_nodes BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_checkpoints_no_update BEFORE UPDATE ON archive_checkpoints BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_checkpoints_no_delete BEFORE DELETE ON archive_checkpoints BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_cosignatures_no_update BEFORE UPDATE ON archive_cosignatures BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_archive_cosignatures_no_delete BEFORE DELETE ON archive_cosignatures BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_envelopes_no_update BEFORE UPDATE ON envelopes BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_envelopes_no_delete BEFORE DELETE ON envelopes BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_epoch_records_no_update BEFORE UPDATE ON epoch_records BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
CREATE TRIGGER tr_epoch_records_no_delete BEFORE DELETE ON epoch_records BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;

-- Reviews created before this migration start with an empty log (docs/server.md "Archive": their earlier items are
-- appended once at start by the backfill).
INSERT INTO archive_logs (review_id, size) SELECT id, 0 FROM reviews;
