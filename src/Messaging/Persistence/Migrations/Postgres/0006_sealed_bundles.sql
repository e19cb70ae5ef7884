-- SecureDialogue Messaging, schema version 4 (PostgreSQL): receipts of sealed archive bundles (docs/server.md "Sealing").
-- The bundle itself is in the sealed store (S3 Object Lock COMPLIANCE or a read-only local file); this row says where
-- (backend, key, version), what it hashes to and which tree it seals. Append-only: receipts are never changed.

CREATE TABLE sealed_bundles (
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    backend         text        NOT NULL CHECK (backend IN ('Local', 'S3')),
    object_key      text        NOT NULL,
    version_id      text        NULL,
    sha256          bytea       NOT NULL CHECK (length(sha256) = 32),
    size            bigint      NOT NULL CHECK (size > 0),
    retain_until    timestamptz NULL,
    tree_size       bigint      NOT NULL CHECK (tree_size >= 0),
    root            bytea       NOT NULL CHECK (length(root) = 32),
    seal_digest     bytea       NOT NULL CHECK (length(seal_digest) = 32),
    attachments     smallint    NOT NULL CHECK (attachments IN (0, 1)),
    sealed_by       uuid        NULL REFERENCES accounts (id),
    sealed_at       timestamptz NOT NULL,
    PRIMARY KEY (review_id, name)
);

CREATE TRIGGER tr_sealed_bundles_append_only BEFORE UPDATE OR DELETE ON sealed_bundles FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_sealed_bundles_no_truncate BEFORE TRUNCATE ON sealed_bundles FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
