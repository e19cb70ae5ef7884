-- SecureDialogue Messaging, schema version 4 (SQLite): receipts of sealed archive bundles (docs/server.md "Sealing").
-- The bundle itself is in the sealed store (S3 Object Lock COMPLIANCE or a read-only local file); this row says where
-- (backend, key, version), what it hashes to and which tree it seals. Append-only: receipts are never changed.

CREATE TABLE sealed_bundles (
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    backend         TEXT    NOT NULL CHECK (backend IN ('Local', 'S3')),
    object_key      TEXT    NOT NULL,
    version_id      TEXT    NULL,
    sha256          BLOB    NOT NULL CHECK (length(sha256) = 32),
    size            INTEGER NOT NULL CHECK (size > 0),
    retain_until    TEXT    NULL,
    tree_size       INTEGER NOT NULL CHECK (tree_size >= 0),
    root            BLOB    NOT NULL CHECK (length(root) = 32),
    seal_digest     BLOB    NOT NULL CHECK (length(seal_digest) = 32),
    attachments     INTEGER NOT NULL CHECK (attachments IN (0, 1)),
    sealed_by       TEXT    NULL REFERENCES accounts (id),
    sealed_at       TEXT    NOT NULL,
    PRIMARY KEY (review_id, name)
);

CREATE TRIGGER tr_sealed_bundles_no_update BEFORE UPDATE ON sealed_bundles BEGIN SELECT RAISE(ABORT, 'sealed_bundles is append-only'); END;
CREATE TRIGGER tr_sealed_bundles_no_delete BEFORE DELETE ON sealed_bundles BEGIN SELECT RAISE(ABORT, 'sealed_bundles is append-only'); END;
