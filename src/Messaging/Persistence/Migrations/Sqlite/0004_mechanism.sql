-- SecureDialogue Messaging, schema version 2 (SQLite): the review mechanism.
-- States parties (the secretariat's registry), the review's mechanism fields (group, phase, thematic clusters,
-- stage, start date), the instruments each reviewing State reviews, stage events and signed disclosure policies.
-- Metadata only, as docs/threat-model.md section 8 lists it.

CREATE TABLE states_parties (
    code            TEXT    NOT NULL PRIMARY KEY CHECK (length(code) = 3),
    name            TEXT    NOT NULL,
    regional_group  INTEGER NOT NULL CHECK (regional_group BETWEEN 1 AND 5),
    instruments     INTEGER NOT NULL CHECK (instruments BETWEEN 0 AND 15),
    updated_at      TEXT    NOT NULL
);

ALTER TABLE reviews ADD COLUMN review_group INTEGER NULL CHECK (review_group BETWEEN 1 AND 3);
ALTER TABLE reviews ADD COLUMN phase INTEGER NOT NULL DEFAULT 1 CHECK (phase BETWEEN 1 AND 4);
ALTER TABLE reviews ADD COLUMN clusters TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN stage INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 7);
ALTER TABLE reviews ADD COLUMN start_date TEXT NULL;
ALTER TABLE reviews ADD COLUMN stage_entered_on TEXT NULL;

ALTER TABLE review_states ADD COLUMN instruments INTEGER NOT NULL DEFAULT 0 CHECK (instruments BETWEEN 0 AND 15);

CREATE TABLE review_stage_events (
    review_id       TEXT    NOT NULL REFERENCES reviews (id),
    sequence        INTEGER NOT NULL CHECK (sequence >= 1),
    from_stage      INTEGER NOT NULL,
    to_stage        INTEGER NOT NULL,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    occurred_at     TEXT    NOT NULL,
    PRIMARY KEY (review_id, sequence),
    CHECK (to_stage = from_stage + 1)
);

CREATE TABLE disclosure_policies (
    review_id        TEXT    NOT NULL REFERENCES reviews (id),
    version          INTEGER NOT NULL CHECK (version >= 1),
    statement        BLOB    NOT NULL,
    signer_device    TEXT    NOT NULL REFERENCES devices (device_id),
    signer_account   TEXT    NOT NULL REFERENCES accounts (id),
    metadata_level   INTEGER NOT NULL CHECK (metadata_level BETWEEN 1 AND 3),
    content_channels TEXT    NOT NULL,
    issued_at        TEXT    NOT NULL,
    stored_at        TEXT    NOT NULL,
    PRIMARY KEY (review_id, version)
);
