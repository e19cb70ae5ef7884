-- SecureDialogue Messaging, schema version 10 (PostgreSQL): the review archive log (docs/protocol.md section 16,
-- docs/server.md "Archive"). Append-only: triggers refuse every UPDATE and DELETE (and TRUNCATE) of archived rows, and
-- of the envelopes and epoch records whose bytes the log's entries carry; a log's size only grows.

CREATE TABLE archive_logs (
    review_id       uuid        NOT NULL PRIMARY KEY REFERENCES reviews (id),
    size            bigint      NOT NULL DEFAULT 0 CHECK (size >= 0)
);

-- One row per entry. The entry's encoding is rebuilt from these fields and its payload: inline in `payload`, or, for
-- envelopes and epoch records, the bytes stored in `envelopes` (channel, sequence) or `epoch_records` (channel, epoch).
CREATE TABLE archive_entries (
    review_id       uuid        NOT NULL,
    idx             bigint      NOT NULL CHECK (idx >= 0),
    kind            smallint    NOT NULL CHECK (kind BETWEEN 1 AND 255),
    received_at     bigint      NOT NULL,
    target          bigint      NULL,
    form            smallint    NOT NULL CHECK (form IN (0, 1)),
    payload_length  bigint      NOT NULL CHECK (payload_length >= 0),
    payload_sha256  bytea       NOT NULL CHECK (length(payload_sha256) = 32),
    channel         text        NULL,
    source_number   bigint      NULL,
    payload         bytea       NULL,
    PRIMARY KEY (review_id, idx)
);
CREATE INDEX ix_archive_entries_source ON archive_entries (review_id, kind, channel, source_number);

-- Complete subtree hashes by (level, index): level 0 are the leaf hashes.
CREATE TABLE archive_nodes (
    review_id       uuid        NOT NULL,
    level           smallint    NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx             bigint      NOT NULL CHECK (idx >= 0),
    hash            bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (review_id, level, idx)
);

-- Every checkpoint the log signed, as its exact signed-note text.
CREATE TABLE archive_checkpoints (
    review_id       uuid        NOT NULL,
    tree_size       bigint      NOT NULL CHECK (tree_size >= 0),
    signed_at       bigint      NOT NULL,
    note            text        NOT NULL,
    PRIMARY KEY (review_id, tree_size, signed_at)
);

-- Cosignatures received (each is also a Cosignature entry of the log, at entry_idx).
CREATE TABLE archive_cosignatures (
    review_id       uuid        NOT NULL,
    tree_size       bigint      NOT NULL CHECK (tree_size >= 0),
    device_id       text        NOT NULL,
    cosigned_at     bigint      NOT NULL,
    entry_idx       bigint      NOT NULL,
    PRIMARY KEY (review_id, tree_size, device_id, cosigned_at)
);

CREATE FUNCTION archive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'archive is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE FUNCTION archive_log_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.size < OLD.size OR NEW.review_id <> OLD.review_id THEN
        RAISE EXCEPTION 'archive is append-only (a log only grows)' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_archive_logs_grow_only BEFORE UPDATE ON archive_logs FOR EACH ROW EXECUTE FUNCTION archive_log_grows();
CREATE TRIGGER tr_archive_logs_no_delete BEFORE DELETE ON archive_logs FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_logs_no_truncate BEFORE TRUNCATE ON archive_logs FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_entries_append_only BEFORE UPDATE OR DELETE ON archive_entries FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_entries_no_truncate BEFORE TRUNCATE ON archive_entries FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_nodes_append_only BEFORE UPDATE OR DELETE ON archive_nodes FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_nodes_no_truncate BEFORE TRUNCATE ON archive_nodes FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_checkpoints_append_only BEFORE UPDATE OR DELETE ON archive_checkpoints FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_checkpoints_no_truncate BEFORE TRUNCATE ON archive_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_cosignatures_append_only BEFORE UPDATE OR DELETE ON archive_cosignatures FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_archive_cosignatures_no_truncate BEFORE TRUNCATE ON archive_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_envelopes_append_only BEFORE UPDATE OR DELETE ON envelopes FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_envelopes_no_truncate BEFORE TRUNCATE ON envelopes FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_epoch_records_append_only BEFORE UPDATE OR DELETE ON epoch_records FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_epoch_records_no_truncate BEFORE TRUNCATE ON epoch_records FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();

-- Reviews created before this migration start with an empty log (docs/server.md "Archive": their earlier items are
-- appended once at start by the backfill).
INSERT INTO archive_logs (review_id, size) SELECT id, 0 FROM reviews;
