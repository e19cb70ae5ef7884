-- SecureDialogue Messaging, migration 0011 (PostgreSQL): archive logs record envelopes by their summary
-- (docs/protocol.md 16.2.1, 16.10). Each log's envelope form is fixed when the log is created: 0, the whole envelope
-- (every log that exists now keeps it, so that its entries keep verifying), or 1, the envelope summary with the
-- envelope kept beside the log in `envelopes`; the server creates every new log with 1. The form never changes.

ALTER TABLE archive_logs ADD COLUMN envelope_form smallint NOT NULL DEFAULT 0 CHECK (envelope_form IN (0, 1));

CREATE OR REPLACE FUNCTION archive_log_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.size < OLD.size OR NEW.review_id <> OLD.review_id OR NEW.envelope_form <> OLD.envelope_form THEN
        RAISE EXCEPTION 'archive is append-only (a log only grows, its envelope form is fixed)' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
