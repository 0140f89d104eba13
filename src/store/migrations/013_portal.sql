-- The citizen's phone (issue 16, issue 14 item 8).
-- public_keys: the idempotency key a device sends with a public create, so that a submit queued
-- offline and sent again gives the same application (application_id 0 while it is being made).
CREATE TABLE public_keys (
    key TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
-- citizen_consents: what a citizen agreed to beyond the public duty (KVKK art. 5/1), e.g.
-- kind 'marketing' = non-transactional messages (surveys, announcements). given 0 = withdrawn.
CREATE TABLE citizen_consents (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    kind TEXT NOT NULL,
    given INTEGER NOT NULL,
    at INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (citizen_id, kind)
);
