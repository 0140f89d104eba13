-- Outgoing messages (issue 15): the outbox, the editable message templates, the survey
-- tokens and the satisfaction ratings, and the citizen's consent to non-transactional messages.
-- An outbox row is written in the transaction of the event that causes it; the sender claims
-- due rows (state 'sending' with a lease until claimed_until), sends them with idem_key as the
-- idempotency key / Message-ID, and marks them sent, pending again (next_at: backoff) or dead.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    idem_key      TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'tr',
    transactional INTEGER NOT NULL DEFAULT 1,
    app_id        INTEGER REFERENCES applications(id),
    citizen_id    INTEGER REFERENCES citizens(id),
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    claimed_until INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    last_error    TEXT NOT NULL DEFAULT '',
    segments      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_due ON outbox(state, next_at);
CREATE INDEX outbox_app ON outbox(app_id);

CREATE TABLE message_templates (
    purpose    TEXT NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (purpose, channel, lang)
) STRICT;

CREATE TABLE survey_tokens (
    nonce      TEXT PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES applications(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX survey_tokens_app ON survey_tokens(app_id);

CREATE TABLE satisfaction (
    id            INTEGER PRIMARY KEY,
    app_id        INTEGER REFERENCES applications(id),
    contact_id    INTEGER REFERENCES contacts(id),
    call_ref      TEXT NOT NULL DEFAULT '',
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment       TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,
    department_id INTEGER,
    category_id   INTEGER,
    channel       TEXT NOT NULL DEFAULT '',
    agent_id      INTEGER,
    at            INTEGER NOT NULL
) STRICT;
CREATE INDEX satisfaction_at ON satisfaction(at);

ALTER TABLE citizens ADD COLUMN consent_marketing INTEGER NOT NULL DEFAULT 0;
