-- SecureDialogue Messaging, schema version 2 (SQLite): the States' trust in a review (issue 6).
-- Focal point nominations registered by the secretariat, trust statements (device certificates and revocations,
-- opaque signed bytes plus the public fields the server checks) and review events (the record of who changed
-- what; the archive log takes these over when it exists).

CREATE TABLE focal_points (
    id              TEXT    NOT NULL PRIMARY KEY,
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    state_code      TEXT    NOT NULL,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    nomination      TEXT    NOT NULL,
    registered_by   TEXT    NOT NULL REFERENCES accounts (id),
    registered_at   TEXT    NOT NULL,
    ended_at        TEXT    NULL
);
CREATE INDEX ix_focal_points_review_state ON focal_points (review_id, state_code);

CREATE TABLE trust_statements (
    review_id        TEXT    NOT NULL REFERENCES reviews (id),
    position         INTEGER NOT NULL CHECK (position >= 1),
    certifier_device TEXT    NOT NULL REFERENCES devices (device_id),
    sequence         INTEGER NOT NULL CHECK (sequence >= 1),
    kind             INTEGER NOT NULL,
    state_code       TEXT    NOT NULL,
    subject_device   TEXT    NOT NULL,
    subject_account  TEXT    NOT NULL,
    statement        BLOB    NOT NULL,
    statement_hash   BLOB    NOT NULL,
    stored_at        TEXT    NOT NULL,
    PRIMARY KEY (review_id, position),
    CONSTRAINT ux_trust_statements_sequence UNIQUE (review_id, certifier_device, sequence)
);

CREATE TABLE review_events (
    review_id        TEXT    NOT NULL REFERENCES reviews (id),
    position         INTEGER NOT NULL CHECK (position >= 1),
    kind             TEXT    NOT NULL,
    actor_account    TEXT    NOT NULL,
    state_code       TEXT    NULL,
    subject_account  TEXT    NULL,
    subject_device   TEXT    NULL,
    detail           TEXT    NULL,
    at               TEXT    NOT NULL,
    PRIMARY KEY (review_id, position)
);
