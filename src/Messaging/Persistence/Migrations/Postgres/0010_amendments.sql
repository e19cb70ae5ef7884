-- SecureDialogue Messaging (PostgreSQL): authors' corrections and retractions (docs/protocol.md section 21).
-- An amendment statement is signed by the device that sent the amended envelope; the server checks it and stores it
-- with a Correction or Retraction entry in the review's log, in one transaction. Its id is the statement's SHA-256
-- (lower-case hex): posting the same bytes again finds the same row. Append-only, like every archive table.

CREATE TABLE amendments (
    id                    text        NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    review_id             uuid        NOT NULL,
    channel               text        NOT NULL,
    action                smallint    NOT NULL CHECK (action IN (1, 2)),
    author_device         text        NOT NULL REFERENCES devices (device_id),
    target_sequence       bigint      NOT NULL CHECK (target_sequence >= 1),
    replacement_sequence  bigint      NULL CHECK ((action = 1) = (replacement_sequence IS NOT NULL) AND (replacement_sequence IS NULL OR replacement_sequence > target_sequence)),
    statement             bytea       NOT NULL,
    stored_at             timestamptz NOT NULL,
    entry_idx             bigint      NOT NULL CHECK (entry_idx >= 0),
    target_entry_idx      bigint      NOT NULL CHECK (target_entry_idx >= 0 AND target_entry_idx < entry_idx),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);

CREATE INDEX ix_amendments_channel ON amendments (review_id, channel, entry_idx);
-- One retraction per item; one correction per replacement.
CREATE UNIQUE INDEX ux_amendments_retraction ON amendments (review_id, channel, target_sequence) WHERE action = 2;
CREATE UNIQUE INDEX ux_amendments_replacement ON amendments (review_id, channel, replacement_sequence) WHERE action = 1;

CREATE TRIGGER tr_amendments_append_only BEFORE UPDATE OR DELETE ON amendments FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_amendments_no_truncate BEFORE TRUNCATE ON amendments FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
