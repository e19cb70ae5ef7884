-- SecureDialogue Messaging, schema version 1 (SQLite).
-- Holds only what docs/threat-model.md section 8 lists in its "Server" column. Guids are stored as upper-case
-- text and times as ISO 8601 text, as EF Core's SQLite provider writes them.

CREATE TABLE accounts (
    id              TEXT    NOT NULL PRIMARY KEY,
    issuer          TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    display_name    TEXT    NOT NULL,
    is_secretariat  INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    CONSTRAINT ux_accounts_issuer_subject UNIQUE (issuer, subject)
);

CREATE TABLE devices (
    device_id       TEXT    NOT NULL PRIMARY KEY CHECK (length(device_id) = 32),
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    card            BLOB    NOT NULL CHECK (length(card) = 130),
    registered_at   TEXT    NOT NULL,
    revoked_at      TEXT    NULL
);
CREATE INDEX ix_devices_account_id ON devices (account_id);

CREATE TABLE reviews (
    id              TEXT    NOT NULL PRIMARY KEY,
    title           TEXT    NOT NULL,
    languages       TEXT    NOT NULL,
    created_by      TEXT    NOT NULL REFERENCES accounts (id),
    created_at      TEXT    NOT NULL
);

CREATE TABLE review_states (
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    state_code      TEXT    NOT NULL,
    role            INTEGER NOT NULL,
    PRIMARY KEY (review_id, state_code)
);

CREATE TABLE review_members (
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    state_code      TEXT    NULL,
    role            INTEGER NOT NULL,
    PRIMARY KEY (review_id, account_id)
);
CREATE INDEX ix_review_members_account_id ON review_members (account_id);

CREATE TABLE channels (
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    name            TEXT    NOT NULL,
    last_sequence   INTEGER NOT NULL DEFAULT 0,
    current_epoch   INTEGER NULL,
    PRIMARY KEY (review_id, name)
);

CREATE TABLE epoch_records (
    review_id       TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    epoch           INTEGER NOT NULL CHECK (epoch >= 0),
    author_device   TEXT    NOT NULL,
    record          BLOB    NOT NULL,
    record_hash     BLOB    NOT NULL,
    stored_at       TEXT    NOT NULL,
    PRIMARY KEY (review_id, channel, epoch),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);

CREATE TABLE envelopes (
    review_id         TEXT    NOT NULL,
    channel           TEXT    NOT NULL,
    sequence          INTEGER NOT NULL CHECK (sequence >= 1),
    sender_device     TEXT    NOT NULL REFERENCES devices (device_id),
    counter           INTEGER NOT NULL CHECK (counter >= 1),
    client_message_id TEXT    NOT NULL,
    epoch             INTEGER NOT NULL CHECK (epoch >= 0),
    envelope          BLOB    NOT NULL,
    stored_at         TEXT    NOT NULL,
    PRIMARY KEY (review_id, channel, sequence),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name),
    CONSTRAINT ux_envelopes_client_message UNIQUE (review_id, channel, sender_device, client_message_id),
    CONSTRAINT ux_envelopes_counter UNIQUE (review_id, channel, sender_device, counter)
);
