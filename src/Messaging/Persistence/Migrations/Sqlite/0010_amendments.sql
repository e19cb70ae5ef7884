-- SecureDialogue Messaging (SQLite): authors' corrections and retractions (docs/protocol.md section 21).
-- An amendment statement is signed by the device that sent the amended envelope; the server checks it and stores it
-- with a Correction or Retraction entry in the review's log, in one transaction. Its id is the statement's SHA-256
-- (lower-case hex): posting the same bytes again finds the same row. Append-only, like every archive table.

CREATE TABLE amendments (
    id                    TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    review_id             TEXT    NOT NULL,
    channel               TEXT    NOT NULL,
    action                INTEGER NOT NULL CHECK (action IN (1, 2)),
    author_device         TEXT    NOT NULL REFERENCES devices (device_id),
    target_sequence       INTEGER NOT NULL CHECK (target_sequence >= 1),
    replacement_sequence  INTEGER NULL CHECK ((action = 1) = (replacement_sequence IS NOT NULL) AND (replacement_sequence IS NULL OR replacement_sequence > target_sequence)),
    statement             BLOB    NOT NULL,
    stored_at             TEXT    NOT NULL,
    entry_idx             INTEGER NOT NULL CHECK (entry_idx >= 0),
    target_entry_idx      INTEGER NOT NULL CHECK (target_entry_idx >= 0 AND target_entry_idx < entry_idx),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);

CREATE INDEX ix_amendments_channel ON amendments (review_id, channel, entry_idx);
-- One retraction per item; one correction per replacement.
CREATE UNIQUE INDEX ux_amendments_retraction ON amendments (review_id, channel, target_sequence) WHERE action = 2;
CREATE UNIQUE INDEX ux_amendments_replacement ON amendments (review_id, channel, replacement_sequence) WHERE action = 1;

CREATE TRIGGER tr_amendments_no_update BEFORE UPDATE ON amendments BEGIN SELECT RAISE(ABORT, 'amendments is append-only'); END;
CREATE TRIGGER tr_amendments_no_delete BEFORE DELETE ON amendments BEGIN SELECT RAISE(ABORT, 'amendments is append-only'); END;
