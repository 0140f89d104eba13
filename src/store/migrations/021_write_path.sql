-- The time of the latest event folded into a call (issue 11, simulate and serve): an event later
-- than it is applied to the stored call alone (core/contact.c: call_fold_next) instead of reading
-- back and refolding every event of the call. NULL (calls stored before this migration, or
-- without events: demo data) means not known: the next event refolds them and fills it in.
ALTER TABLE calls ADD COLUMN last_event_at INTEGER;

-- The routing index of open applications by category: its predicate as equalities instead of
-- an IN list. SQLite evaluates an IN list of three or more constants through an ephemeral
-- table built on every execution, and a partial index's predicate is evaluated for the old and
-- the new row of every INSERT and UPDATE of applications: two ephemeral tables per lifecycle
-- update (about a quarter of its instructions). The one query that walks this index
-- (apps.c: sqlite_app_open_candidates) names the same equalities, so it still uses it.
DROP INDEX applications_category_open;
CREATE INDEX applications_category_open ON applications(category_id, created_at)
    WHERE status = 'new' OR status = 'forwarded' OR status = 'in_progress';
