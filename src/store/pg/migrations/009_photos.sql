-- Photos and the field team (issue 16); the SQLite twin is src/store/migrations/010_photos.sql.
ALTER TABLE attachments ADD COLUMN stage text NOT NULL DEFAULT ''
    CHECK (stage IN ('', 'before', 'after'));
ALTER TABLE attachments ADD COLUMN width integer NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN height integer NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN taken_at bigint;
ALTER TABLE attachments ADD COLUMN lat double precision;
ALTER TABLE attachments ADD COLUMN lon double precision;
ALTER TABLE attachments ADD COLUMN geo_source text NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN proof_required integer NOT NULL DEFAULT 0;

CREATE TABLE idempotency_keys (
    user_id    bigint NOT NULL,
    key        text NOT NULL,
    state      text NOT NULL CHECK (state IN ('pending', 'done')),
    status     integer NOT NULL DEFAULT 0,
    body       text NOT NULL DEFAULT '',
    created_at bigint NOT NULL,
    PRIMARY KEY (user_id, key)
);
