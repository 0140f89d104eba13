-- The contact centre (issue 10): calls from the telephone exchange and their events, contacts
-- on every channel with exactly one outcome once closed, agents' states, the screen-pop
-- events of agents' consoles, and the knowledge base with Turkish full-text search.
-- the new role "telephony" (the exchange's token): widen users' CHECK in place, as SQLite's
-- documentation describes for changing a CHECK constraint (the table cannot be rebuilt here:
-- every table refers to users, and foreign keys cannot be switched off inside the migration's
-- transaction); connections opened afterwards read the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''supervisor'',''admin'')',
                                       '''supervisor'',''admin'',''telephony'')')
    WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;

CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,          -- the exchange's call id
    line           TEXT NOT NULL DEFAULT '',
    queue          TEXT NOT NULL DEFAULT '',
    caller         TEXT NOT NULL DEFAULT '',
    agent_id       INTEGER REFERENCES users(id),
    offered_at     INTEGER NOT NULL,
    answered_at    INTEGER,
    abandoned_at   INTEGER,
    transferred_at INTEGER,
    ended_at       INTEGER
) STRICT;
CREATE INDEX calls_offered ON calls(offered_at);

-- every event as the exchange sent it: a repeat of (ref, type, at) is the same event
CREATE TABLE call_events (
    ref      TEXT NOT NULL,
    type     TEXT NOT NULL,
    at       INTEGER NOT NULL,
    agent_id INTEGER REFERENCES users(id),
    line     TEXT NOT NULL DEFAULT '',
    queue    TEXT NOT NULL DEFAULT '',
    caller   TEXT NOT NULL DEFAULT '',
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ref, type, at)
) STRICT;

CREATE TABLE kb_articles (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    keywords    TEXT,
    category    TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE VIRTUAL TABLE kb_fts USING fts5(
    title, body, keywords, content='kb_articles', content_rowid='id', tokenize='turkish'
);
CREATE TRIGGER kb_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts(rowid, title, body, keywords)
        VALUES (new.id, new.title, new.body, new.keywords);
END;
CREATE TRIGGER kb_au AFTER UPDATE OF title, body, keywords ON kb_articles BEGIN
    INSERT INTO kb_fts(kb_fts, rowid, title, body, keywords)
        VALUES ('delete', old.id, old.title, old.body, old.keywords);
    INSERT INTO kb_fts(rowid, title, body, keywords)
        VALUES (new.id, new.title, new.body, new.keywords);
END;

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL,
    direction      TEXT NOT NULL DEFAULT 'inbound',
    district_id    INTEGER REFERENCES districts(id),
    caller         TEXT NOT NULL DEFAULT '',
    citizen_id     INTEGER REFERENCES citizens(id),
    user_id        INTEGER REFERENCES users(id),
    call_id        INTEGER UNIQUE REFERENCES calls(id),
    started_at     INTEGER NOT NULL,
    answered_at    INTEGER,
    ended_at       INTEGER,
    outcome        TEXT,                          -- NULL while open
    reason         TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    institution    TEXT NOT NULL DEFAULT '',
    kb_article_id  INTEGER REFERENCES kb_articles(id),
    application_id INTEGER REFERENCES applications(id),
    note           TEXT,
    CHECK (outcome IS NULL OR outcome IN
           ('instant_info', 'application', 'followup', 'not_relevant', 'transferred_out')),
    CHECK ((outcome IS NULL) = (ended_at IS NULL))
) STRICT;
CREATE INDEX contacts_started ON contacts(started_at);
CREATE INDEX contacts_user ON contacts(user_id, id);
CREATE INDEX contacts_citizen ON contacts(citizen_id, id);
CREATE INDEX contacts_application ON contacts(application_id) WHERE application_id IS NOT NULL;
CREATE INDEX contacts_kb ON contacts(kb_article_id) WHERE kb_article_id IS NOT NULL;

-- each agent's current state (set by the agent or the exchange) and its history
CREATE TABLE agent_states (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    state   TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    since   INTEGER NOT NULL
) STRICT;
CREATE TABLE agent_state_log (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    state   TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    at      INTEGER NOT NULL
) STRICT;

-- what an agent's console is told (screen pop), read with a cursor
CREATE TABLE agent_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id),
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_events_user ON agent_events(user_id, id);
