-- SecureDialogue Messaging (PostgreSQL): voluntary publications (docs/server.md "Publications", docs/protocol.md 18).
-- A publication is a record the reviewed State's focal point built on its device and the server verified before
-- storing it. Its id is the record's SHA-256 (lower-case hex): posting the same bytes again finds the same row. Both
-- tables are append-only: a withdrawal is a new row (and a Retraction entry in the review's log), never a deletion.

CREATE TABLE publications (
    id                  text        NOT NULL PRIMARY KEY CHECK (length(id) = 64),
    review_id           uuid        NOT NULL REFERENCES reviews (id),
    audience            smallint    NOT NULL CHECK (audience IN (1, 2)),
    channel             text        NOT NULL,
    item_sequence       bigint      NOT NULL CHECK (item_sequence >= 1),
    item_kind           smallint    NOT NULL,
    item_language       text        NOT NULL,
    authored_at         timestamptz NOT NULL,
    author_state        text        NOT NULL CHECK (length(author_state) = 3),
    publisher_state     text        NOT NULL CHECK (length(publisher_state) = 3),
    publisher_account   uuid        NOT NULL REFERENCES accounts (id),
    publisher_device    text        NOT NULL,
    segments            integer     NOT NULL CHECK (segments >= 1),
    disclosed           integer     NOT NULL CHECK (disclosed BETWEEN 1 AND segments),
    published_at        timestamptz NOT NULL,
    stored_at           timestamptz NOT NULL,
    visible_from        timestamptz NOT NULL,
    item_entry_idx      bigint      NOT NULL CHECK (item_entry_idx >= 0),
    entry_idx           bigint      NOT NULL CHECK (entry_idx >= 0),
    checkpoint_size     bigint      NOT NULL CHECK (checkpoint_size >= 1),
    checkpoint_root     bytea       NOT NULL CHECK (length(checkpoint_root) = 32),
    log_key             text        NOT NULL,
    cosigners           text        NOT NULL,
    record              bytea       NOT NULL
);

CREATE INDEX ix_publications_review ON publications (review_id, stored_at);

CREATE TABLE publication_withdrawals (
    publication_id      text        NOT NULL PRIMARY KEY REFERENCES publications (id),
    withdrawn_by        uuid        NOT NULL REFERENCES accounts (id),
    withdrawn_at        timestamptz NOT NULL,
    entry_idx           bigint      NOT NULL CHECK (entry_idx >= 0)
);

CREATE TRIGGER tr_publications_append_only BEFORE UPDATE OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_publications_no_truncate BEFORE TRUNCATE ON publications FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_publication_withdrawals_append_only BEFORE UPDATE OR DELETE ON publication_withdrawals FOR EACH ROW EXECUTE FUNCTION archive_append_only();
CREATE TRIGGER tr_publication_withdrawals_no_truncate BEFORE TRUNCATE ON publication_withdrawals FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
