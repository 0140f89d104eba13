-- KVKK (issue 12): the data-protection officer's role, anonymisation, the view log's reader,
-- retention, and T.C. numbers encrypted at rest (docs/KVKK.md).
-- the new role "dpo": added to whatever list users_role_check holds now
DO $$
DECLARE d text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO d FROM pg_constraint
        WHERE conname = 'users_role_check' AND conrelid = 'users'::regclass;
    IF d IS NOT NULL AND position('''dpo''' IN d) = 0 THEN
        EXECUTE 'ALTER TABLE users DROP CONSTRAINT users_role_check';
        EXECUTE 'ALTER TABLE users ADD CONSTRAINT users_role_check '
            || replace(d, '''admin''::text', '''admin''::text, ''dpo''::text');
    END IF;
END $$;
-- when the citizen's personal data was erased (NULL = never); the row stays for statistics
ALTER TABLE citizens ADD COLUMN anonymised_at bigint;
-- the keyed hash (hex) of the T.C. number, for lookups while tc holds it encrypted ("v1:…")
ALTER TABLE citizens ADD COLUMN tc_hash text;
CREATE INDEX citizens_tc_hash ON citizens(tc_hash) WHERE tc_hash IS NOT NULL;
-- the view log read by citizen, by user and by time (newest first, keyset on id)
CREATE INDEX citizen_views_citizen ON citizen_views(citizen_id, id);
CREATE INDEX citizen_views_user ON citizen_views(user_id, id);
CREATE INDEX citizen_views_at ON citizen_views(at);
-- erasing a person's files finds the blobs still used by another attachment
CREATE INDEX attachments_hash ON attachments(hash);
-- retention: closed applications by when they were closed
CREATE INDEX applications_closed ON applications(closed_at) WHERE closed_at IS NOT NULL;
