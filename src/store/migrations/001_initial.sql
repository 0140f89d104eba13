-- alo153 schema, version 1. Times are INTEGER Unix seconds UTC; ids are INTEGER PRIMARY KEYs.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE institutions (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('metropolitan','district','affiliate','external'))
) STRICT;

CREATE TABLE departments (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    parent_id      INTEGER REFERENCES departments(id),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    name_tr        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE categories (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    department_id       INTEGER NOT NULL REFERENCES departments(id),
    name_tr             TEXT NOT NULL,
    name_en             TEXT NOT NULL,
    keywords            TEXT NOT NULL DEFAULT '',
    folded              TEXT NOT NULL DEFAULT '',   -- Turkish-folded code+names+keywords for type-ahead
    first_response_days INTEGER NOT NULL CHECK (first_response_days >= 0),
    sla_days            INTEGER NOT NULL CHECK (sla_days >= 1),
    working_days        INTEGER NOT NULL,
    priority            TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    redirect            TEXT NOT NULL DEFAULT '',
    active              INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE districts (
    id       INTEGER PRIMARY KEY,
    province TEXT NOT NULL,
    name     TEXT NOT NULL,
    folded   TEXT NOT NULL,
    UNIQUE (province, name)
) STRICT;

CREATE TABLE neighbourhoods (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    name        TEXT NOT NULL,
    UNIQUE (district_id, name)
) STRICT;

CREATE TABLE holidays (
    day      TEXT PRIMARY KEY,   -- YYYY-MM-DD
    name     TEXT NOT NULL,
    half_day INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('agent','desk','staff','manager','supervisor','admin')),
    department_id INTEGER REFERENCES departments(id),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE TABLE citizens (
    id         INTEGER PRIMARY KEY,
    name       TEXT,
    phone      TEXT,
    email      TEXT,
    tc         TEXT,
    address    TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX citizens_phone ON citizens(phone);

CREATE TABLE citizen_views (
    id         INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    at         INTEGER NOT NULL,
    purpose    TEXT NOT NULL
) STRICT;

CREATE TABLE tracking_seq (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;

CREATE TABLE applications (
    id                 INTEGER PRIMARY KEY,
    tracking           TEXT NOT NULL UNIQUE,
    access_code        TEXT NOT NULL,
    kind               TEXT NOT NULL,
    channel            TEXT NOT NULL,
    priority           TEXT NOT NULL,
    status             TEXT NOT NULL,
    category_id        INTEGER REFERENCES categories(id),
    department_id      INTEGER REFERENCES departments(id),
    text               TEXT NOT NULL,
    district_id        INTEGER REFERENCES districts(id),
    neighbourhood_id   INTEGER REFERENCES neighbourhoods(id),
    address            TEXT,
    lat                REAL,
    lon                REAL,
    citizen_id         INTEGER REFERENCES citizens(id),
    created_by         INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    forwarded_at       INTEGER,
    first_response_due INTEGER,
    resolution_due     INTEGER,
    first_response_at  INTEGER,
    responded_at       INTEGER,
    closed_at          INTEGER,
    hold_since         INTEGER,
    held_seconds       INTEGER NOT NULL DEFAULT 0,
    public_response    TEXT,
    duplicate_of       INTEGER REFERENCES applications(id),
    redirect           TEXT
) STRICT;
CREATE INDEX applications_status ON applications(status, id);
CREATE INDEX applications_department ON applications(department_id, status, id);
CREATE INDEX applications_citizen ON applications(citizen_id, id);
CREATE INDEX applications_created ON applications(created_at);
CREATE INDEX applications_due ON applications(resolution_due) WHERE resolution_due IS NOT NULL;

CREATE VIRTUAL TABLE applications_fts USING fts5(
    text, address, content='applications', content_rowid='id', tokenize='turkish'
);
CREATE TRIGGER applications_ai AFTER INSERT ON applications BEGIN
    INSERT INTO applications_fts(rowid, text, address) VALUES (new.id, new.text, new.address);
END;
CREATE TRIGGER applications_ad AFTER DELETE ON applications BEGIN
    INSERT INTO applications_fts(applications_fts, rowid, text, address)
        VALUES ('delete', old.id, old.text, old.address);
END;
CREATE TRIGGER applications_au AFTER UPDATE OF text, address ON applications BEGIN
    INSERT INTO applications_fts(applications_fts, rowid, text, address)
        VALUES ('delete', old.id, old.text, old.address);
    INSERT INTO applications_fts(rowid, text, address) VALUES (new.id, new.text, new.address);
END;

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    app_id      INTEGER NOT NULL REFERENCES applications(id),
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    note        TEXT,
    public      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX events_app ON events(app_id, id);

CREATE TABLE links (
    app_id   INTEGER NOT NULL REFERENCES applications(id),
    other_id INTEGER NOT NULL REFERENCES applications(id),
    kind     TEXT NOT NULL CHECK (kind IN ('duplicate','related')),
    PRIMARY KEY (app_id, other_id)
) STRICT;

CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,   -- sha256 hex
    size INTEGER NOT NULL,
    data BLOB NOT NULL
) STRICT;

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES applications(id),
    hash       TEXT NOT NULL REFERENCES blobs(hash),
    mime       TEXT NOT NULL,
    filename   TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_app ON attachments(app_id);
