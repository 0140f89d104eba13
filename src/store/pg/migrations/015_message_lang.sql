-- The citizen's language and the WhatsApp transport (issue 15): see
-- src/store/migrations/016_message_lang.sql.
ALTER TABLE citizens ADD COLUMN lang TEXT NOT NULL DEFAULT 'tr';
ALTER TABLE outbox ADD COLUMN provider_ref TEXT NOT NULL DEFAULT '';
