-- The time of the latest event folded into a call: see src/store/migrations/021_write_path.sql.
ALTER TABLE calls ADD COLUMN last_event_at bigint;
