-- The time of the latest event folded into a call (issue 11, simulate and serve): an event later
-- than it is applied to the stored call alone (core/contact.c: call_fold_next) instead of reading
-- back and refolding every event of the call. NULL (calls stored before this migration, or
-- without events: demo data) means not known: the next event refolds them and fills it in.
ALTER TABLE calls ADD COLUMN last_event_at INTEGER;
