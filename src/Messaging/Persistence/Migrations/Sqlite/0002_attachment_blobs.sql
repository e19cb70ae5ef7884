-- SecureDialogue Messaging, schema version 2 (SQLite): attachment blobs (issue 4).
-- Which channel a blob was uploaded into and by whom: the blob itself is opaque ciphertext in the blob store, named by
-- its ciphertext hash. No file name, media type or plaintext size is known to the server (docs/threat-model.md 8).

CREATE TABLE blob_uploads (
    upload_id       TEXT    NOT NULL PRIMARY KEY CHECK (length(upload_id) = 32),
    review_id       TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    length          INTEGER NOT NULL CHECK (length > 0),
    blob_id         TEXT    NULL CHECK (blob_id IS NULL OR length(blob_id) = 64),
    created_at      TEXT    NOT NULL,
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);

CREATE TABLE blobs (
    review_id       TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    blob_id         TEXT    NOT NULL CHECK (length(blob_id) = 64),
    uploaded_by     TEXT    NOT NULL REFERENCES accounts (id),
    length          INTEGER NOT NULL CHECK (length > 0),
    stored_at       TEXT    NOT NULL,
    PRIMARY KEY (review_id, channel, blob_id),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);
