-- SecureDialogue Messaging, schema version 7 (SQLite): the SHA-256 of each blob's ciphertext, recorded when its upload
-- commits (the hash the blob store computed while checking it; the archive's AttachmentCiphertext entry holds the same
-- digest). Sealing finds an attachment's blob by it instead of hashing every blob of the same length. Rows committed
-- before this version have NULL: sealing falls back to hashing those candidates.

ALTER TABLE blobs ADD COLUMN sha256 BLOB NULL CHECK (sha256 IS NULL OR length(sha256) = 32);

CREATE INDEX ix_blobs_sha256 ON blobs (review_id, channel, sha256);
