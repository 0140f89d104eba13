-- Rights and the audit log (issue 12, "Rights").
-- audit_log: every login (and failed login), logout, user, grant, setting, category, holiday,
-- message-template and API-token change: who (actor_id 0 = the command line or nobody; actor the
-- name at that time, or the name tried at a failed login), when, what (kind, object), from where
-- (address) and the record before and after the change as JSON ('' = none). Written in the
-- transaction of the change itself (core/audit.h).
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor_id INTEGER NOT NULL DEFAULT 0,
    actor    TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL,
    object   TEXT NOT NULL DEFAULT '',
    address  TEXT NOT NULL DEFAULT '',
    before   TEXT NOT NULL DEFAULT '',
    after    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at, id);
-- user_grants: a staff member or manager may also read (act 0) or read and act on (act 1) the
-- applications of another department and the units below it (core/policy.h).
CREATE TABLE user_grants (
    user_id       INTEGER NOT NULL REFERENCES users(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    act           INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, department_id)
) STRICT;
-- API tokens get an id to name them by, a creation time, an optional expiry, a revocation time
-- and the time they were last used (0 = never / none).
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO api_tokens_new(token_hash, name, user_id) SELECT token_hash, name, user_id FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
