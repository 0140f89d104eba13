-- The citizen's language and the WhatsApp transport (issue 15; docs/MESSAGES.md).
-- citizens.lang: the language messages to the citizen are written in (tr or en): the portal's
-- language when they applied, or what staff set.
ALTER TABLE citizens ADD COLUMN lang TEXT NOT NULL DEFAULT 'tr';
-- outbox.provider_ref: the id the transport returned for a sent message (WhatsApp Cloud API:
-- the wamid), "" when the transport returns none.
ALTER TABLE outbox ADD COLUMN provider_ref TEXT NOT NULL DEFAULT '';
