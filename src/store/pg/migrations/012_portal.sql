-- The citizen's phone (issue 16, issue 14 item 8): see src/store/migrations/013_portal.sql.
CREATE TABLE public_keys (
    key TEXT PRIMARY KEY,
    application_id BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE citizen_consents (
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    kind TEXT NOT NULL,
    given integer NOT NULL,
    at BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (citizen_id, kind)
);
