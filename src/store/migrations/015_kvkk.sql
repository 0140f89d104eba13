-- KVKK (issue 12): the data-protection officer's role, anonymisation, the view log's reader,
-- retention, and T.C. numbers encrypted at rest (docs/KVKK.md).
-- the new role "dpo": widen users' CHECK in place, as 003 did for "telephony"
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''admin'',', '''admin'',''dpo'',')
    WHERE type = 'table' AND name = 'users' AND instr(sql, '''dpo''') = 0;
PRAGMA writable_schema = OFF;
-- when the citizen's personal data was erased (NULL = never); the row stays for statistics
ALTER TABLE citizens ADD COLUMN anonymised_at INTEGER;
-- the keyed hash (hex) of the T.C. number, for lookups while tc holds it encrypted ("v1:…")
ALTER TABLE citizens ADD COLUMN tc_hash TEXT;
CREATE INDEX citizens_tc_hash ON citizens(tc_hash) WHERE tc_hash IS NOT NULL;
-- the view log read by citizen, by user and by time (newest first, keyset on id)
CREATE INDEX citizen_views_citizen ON citizen_views(citizen_id, id);
CREATE INDEX citizen_views_user ON citizen_views(user_id, id);
CREATE INDEX citizen_views_at ON citizen_views(at);
-- erasing a person's files finds the blobs still used by another attachment
CREATE INDEX attachments_hash ON attachments(hash);
-- retention: closed applications by when they were closed
CREATE INDEX applications_closed ON applications(closed_at) WHERE closed_at IS NOT NULL;
