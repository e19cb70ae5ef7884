-- SecureDialogue Messaging, schema version 1 (PostgreSQL).
-- Holds only what docs/threat-model.md section 8 lists in its "Server" column.

CREATE TABLE accounts (
    id              uuid        NOT NULL PRIMARY KEY,
    issuer          text        NOT NULL,
    subject         text        NOT NULL,
    display_name    text        NOT NULL,
    is_secretariat  boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    CONSTRAINT ux_accounts_issuer_subject UNIQUE (issuer, subject)
);

CREATE TABLE devices (
    device_id       text        NOT NULL PRIMARY KEY CHECK (length(device_id) = 32),
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    card            bytea       NOT NULL CHECK (length(card) = 130),
    registered_at   timestamptz NOT NULL,
    revoked_at      timestamptz NULL
);
CREATE INDEX ix_devices_account_id ON devices (account_id);

CREATE TABLE reviews (
    id              uuid        NOT NULL PRIMARY KEY,
    title           text        NOT NULL,
    languages       text        NOT NULL,
    created_by      uuid        NOT NULL REFERENCES accounts (id),
    created_at      timestamptz NOT NULL
);

CREATE TABLE review_states (
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    state_code      text        NOT NULL,
    role            integer     NOT NULL,
    PRIMARY KEY (review_id, state_code)
);

CREATE TABLE review_members (
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    state_code      text        NULL,
    role            integer     NOT NULL,
    PRIMARY KEY (review_id, account_id)
);
CREATE INDEX ix_review_members_account_id ON review_members (account_id);

CREATE TABLE channels (
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    name            text        NOT NULL,
    last_sequence   bigint      NOT NULL DEFAULT 0,
    current_epoch   bigint      NULL,
    PRIMARY KEY (review_id, name)
);

CREATE TABLE epoch_records (
    review_id       uuid        NOT NULL,
    channel         text        NOT NULL,
    epoch           bigint      NOT NULL CHECK (epoch >= 0),
    author_device   text        NOT NULL,
    record          bytea       NOT NULL,
    record_hash     bytea       NOT NULL,
    stored_at       timestamptz NOT NULL,
    PRIMARY KEY (review_id, channel, epoch),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name)
);

CREATE TABLE envelopes (
    review_id         uuid        NOT NULL,
    channel           text        NOT NULL,
    sequence          bigint      NOT NULL CHECK (sequence >= 1),
    sender_device     text        NOT NULL REFERENCES devices (device_id),
    counter           bigint      NOT NULL CHECK (counter >= 1),
    client_message_id uuid        NOT NULL,
    epoch             bigint      NOT NULL CHECK (epoch >= 0),
    envelope          bytea       NOT NULL,
    stored_at         timestamptz NOT NULL,
    PRIMARY KEY (review_id, channel, sequence),
    FOREIGN KEY (review_id, channel) REFERENCES channels (review_id, name),
    CONSTRAINT ux_envelopes_client_message UNIQUE (review_id, channel, sender_device, client_message_id),
    CONSTRAINT ux_envelopes_counter UNIQUE (review_id, channel, sender_device, counter)
);
