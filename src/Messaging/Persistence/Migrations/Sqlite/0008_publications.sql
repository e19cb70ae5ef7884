-- SecureDialogue Messaging (SQLite): voluntary publications (docs/server.md "Publications", docs/protocol.md 18).
-- A publication is a record the reviewed State's focal point built on its device and the server verified before
-- storing it. Its id is the record's SHA-256 (lower-case hex): posting the same bytes again finds the same row. Both
-- tables are append-only: a withdrawal is a new row (and a Retraction entry in the review's log), never a deletion.

CREATE TABLE publications (
    id                  TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    review_id           TEXT    NOT NULL REFERENCES reviews (id),
    audience            INTEGER NOT NULL CHECK (audience IN (1, 2)),
    channel             TEXT    NOT NULL,
    item_sequence       INTEGER NOT NULL CHECK (item_sequence >= 1),
    item_kind           INTEGER NOT NULL,
    item_language       TEXT    NOT NULL,
    authored_at         TEXT    NOT NULL,
    author_state        TEXT    NOT NULL CHECK (length(author_state) = 3),
    publisher_state     TEXT    NOT NULL CHECK (length(publisher_state) = 3),
    publisher_account   TEXT    NOT NULL REFERENCES accounts (id),
    publisher_device    TEXT    NOT NULL,
    segments            INTEGER NOT NULL CHECK (segments >= 1),
    disclosed           INTEGER NOT NULL CHECK (disclosed BETWEEN 1 AND segments),
    published_at        TEXT    NOT NULL,
    stored_at           TEXT    NOT NULL,
    visible_from        TEXT    NOT NULL,
    item_entry_idx      INTEGER NOT NULL CHECK (item_entry_idx >= 0),
    entry_idx           INTEGER NOT NULL CHECK (entry_idx >= 0),
    checkpoint_size     INTEGER NOT NULL CHECK (checkpoint_size >= 1),
    checkpoint_root     BLOB    NOT NULL CHECK (length(checkpoint_root) = 32),
    log_key             TEXT    NOT NULL,
    cosigners           TEXT    NOT NULL,
    record              BLOB    NOT NULL
);

CREATE INDEX ix_publications_review ON publications (review_id, stored_at);

CREATE TABLE publication_withdrawals (
    publication_id      TEXT    NOT NULL PRIMARY KEY REFERENCES publications (id),
    withdrawn_by        TEXT    NOT NULL REFERENCES accounts (id),
    withdrawn_at        TEXT    NOT NULL,
    entry_idx           INTEGER NOT NULL CHECK (entry_idx >= 0)
);

CREATE TRIGGER tr_publications_no_update BEFORE UPDATE ON publications BEGIN SELECT RAISE(ABORT, 'publications is append-only'); END;
CREATE TRIGGER tr_publications_no_delete BEFORE DELETE ON publications BEGIN SELECT RAISE(ABORT, 'publications is append-only'); END;
CREATE TRIGGER tr_publication_withdrawals_no_update BEFORE UPDATE ON publication_withdrawals BEGIN SELECT RAISE(ABORT, 'publication_withdrawals is append-only'); END;
CREATE TRIGGER tr_publication_withdrawals_no_delete BEFORE DELETE ON publication_withdrawals BEGIN SELECT RAISE(ABORT, 'publication_withdrawals is append-only'); END;
