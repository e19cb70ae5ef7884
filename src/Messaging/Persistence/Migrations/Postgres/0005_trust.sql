-- SecureDialogue Messaging, schema version 2 (PostgreSQL): the States' trust in a review (issue 6).
-- Focal point nominations registered by the secretariat, trust statements (device certificates and revocations,
-- opaque signed bytes plus the public fields the server checks) and review events (the record of who changed
-- what; the archive log takes these over when it exists).

CREATE TABLE focal_points (
    id              uuid        NOT NULL PRIMARY KEY,
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    state_code      text        NOT NULL,
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    nomination      text        NOT NULL,
    registered_by   uuid        NOT NULL REFERENCES accounts (id),
    registered_at   timestamptz NOT NULL,
    ended_at        timestamptz NULL
);
CREATE INDEX ix_focal_points_review_state ON focal_points (review_id, state_code);

CREATE TABLE trust_statements (
    review_id        uuid        NOT NULL REFERENCES reviews (id),
    position         bigint      NOT NULL CHECK (position >= 1),
    certifier_device text        NOT NULL REFERENCES devices (device_id),
    sequence         bigint      NOT NULL CHECK (sequence >= 1),
    kind             integer     NOT NULL,
    state_code       text        NOT NULL,
    subject_device   text        NOT NULL,
    subject_account  uuid        NOT NULL,
    statement        bytea       NOT NULL,
    statement_hash   bytea       NOT NULL,
    stored_at        timestamptz NOT NULL,
    PRIMARY KEY (review_id, position),
    CONSTRAINT ux_trust_statements_sequence UNIQUE (review_id, certifier_device, sequence)
);

CREATE TABLE review_events (
    review_id        uuid        NOT NULL REFERENCES reviews (id),
    position         bigint      NOT NULL CHECK (position >= 1),
    kind             text        NOT NULL,
    actor_account    uuid        NOT NULL,
    state_code       text        NULL,
    subject_account  uuid        NULL,
    subject_device   text        NULL,
    detail           text        NULL,
    at               timestamptz NOT NULL,
    PRIMARY KEY (review_id, position)
);
