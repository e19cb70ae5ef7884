-- SecureDialogue Messaging, migration 0011 (SQLite): archive logs record envelopes by their summary
-- (docs/protocol.md 16.2.1, 16.10). Each log's envelope form is fixed when the log is created: 0, the whole envelope
-- (every log that exists now keeps it, so that its entries keep verifying), or 1, the envelope summary with the
-- envelope kept beside the log in `envelopes`; the server creates every new log with 1. The form never changes.

ALTER TABLE archive_logs ADD COLUMN envelope_form INTEGER NOT NULL DEFAULT 0 CHECK (envelope_form IN (0, 1));

CREATE TRIGGER tr_archive_logs_form_fixed BEFORE UPDATE ON archive_logs WHEN NEW.envelope_form <> OLD.envelope_form
BEGIN SELECT RAISE(ABORT, 'archive is append-only'); END;
