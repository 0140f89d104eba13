-- Photos and the field team (issue 16): what the server read from a photo when it was
-- attached (pixel size, EXIF capture time and GPS position; NULL when the photo had none),
-- where the position came from ('exif', or 'device' when the phone sent its own location
-- with a photo whose EXIF the browser dropped), and the stage ('before' / 'after' the work;
-- '' for other files). Categories may require an after photo as proof before an answer.
-- Idempotency keys make an action the field phone re-sends after a lost answer happen once.
ALTER TABLE attachments ADD COLUMN stage TEXT NOT NULL DEFAULT ''
    CHECK (stage IN ('', 'before', 'after'));
ALTER TABLE attachments ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN taken_at INTEGER;
ALTER TABLE attachments ADD COLUMN lat REAL;
ALTER TABLE attachments ADD COLUMN lon REAL;
ALTER TABLE attachments ADD COLUMN geo_source TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN proof_required INTEGER NOT NULL DEFAULT 0;

CREATE TABLE idempotency_keys (
    user_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    status     INTEGER NOT NULL DEFAULT 0,
    body       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;
