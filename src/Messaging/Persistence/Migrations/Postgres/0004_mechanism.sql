-- SecureDialogue Messaging, schema version 2 (PostgreSQL): the review mechanism.
-- States parties (the secretariat's registry), the review's mechanism fields (group, phase, thematic clusters,
-- stage, start date), the instruments each reviewing State reviews, stage events and signed disclosure policies.
-- Metadata only, as docs/threat-model.md section 8 lists it.

CREATE TABLE states_parties (
    code            text        NOT NULL PRIMARY KEY CHECK (length(code) = 3),
    name            text        NOT NULL,
    regional_group  integer     NOT NULL CHECK (regional_group BETWEEN 1 AND 5),
    instruments     integer     NOT NULL CHECK (instruments BETWEEN 0 AND 15),
    updated_at      timestamptz NOT NULL
);

ALTER TABLE reviews
    ADD COLUMN review_group     integer NULL CHECK (review_group BETWEEN 1 AND 3),
    ADD COLUMN phase            integer NOT NULL DEFAULT 1 CHECK (phase BETWEEN 1 AND 4),
    ADD COLUMN clusters         text    NOT NULL DEFAULT '',
    ADD COLUMN stage            integer NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 7),
    ADD COLUMN start_date       date    NULL,
    ADD COLUMN stage_entered_on date    NULL;

ALTER TABLE review_states ADD COLUMN instruments integer NOT NULL DEFAULT 0 CHECK (instruments BETWEEN 0 AND 15);

CREATE TABLE review_stage_events (
    review_id       uuid        NOT NULL REFERENCES reviews (id),
    sequence        integer     NOT NULL CHECK (sequence >= 1),
    from_stage      integer     NOT NULL,
    to_stage        integer     NOT NULL,
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    occurred_at     timestamptz NOT NULL,
    PRIMARY KEY (review_id, sequence),
    CHECK (to_stage = from_stage + 1)
);

CREATE TABLE disclosure_policies (
    review_id        uuid        NOT NULL REFERENCES reviews (id),
    version          integer     NOT NULL CHECK (version >= 1),
    statement        bytea       NOT NULL,
    signer_device    text        NOT NULL REFERENCES devices (device_id),
    signer_account   uuid        NOT NULL REFERENCES accounts (id),
    metadata_level   integer     NOT NULL CHECK (metadata_level BETWEEN 1 AND 3),
    content_channels text        NOT NULL,
    issued_at        timestamptz NOT NULL,
    stored_at        timestamptz NOT NULL,
    PRIMARY KEY (review_id, version)
);
