-- KPI rollups (issue 10, docs/CONTACT_CENTRE.md "KPIs over a period"): the additive counts of
-- the calls and contacts per bucket, kept in the same transaction as the change they count
-- (src/store/rollup.c), so that a year by month reads ~365 day rows instead of every call.
-- span: 900 (15 minutes, UTC-aligned = Istanbul-aligned) or 86400 (an Istanbul day);
-- start: the bucket's first second (Unix time). A call counts in the bucket of its offered_at.
CREATE TABLE call_rollup (
    span            INTEGER NOT NULL,
    start           INTEGER NOT NULL,
    queue           TEXT NOT NULL,
    line            TEXT NOT NULL,
    agent_id        INTEGER NOT NULL,              -- 0: no agent
    offered         INTEGER NOT NULL DEFAULT 0,
    answered        INTEGER NOT NULL DEFAULT 0,
    abandoned       INTEGER NOT NULL DEFAULT 0,
    short_abandoned INTEGER NOT NULL DEFAULT 0,
    answered_in_sl  INTEGER NOT NULL DEFAULT 0,
    wait_sum        INTEGER NOT NULL DEFAULT 0,
    handle_sum      INTEGER NOT NULL DEFAULT 0,
    handled         INTEGER NOT NULL DEFAULT 0,
    max_wait        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (span, start, queue, line, agent_id)
) STRICT, WITHOUT ROWID;

-- contacts by the bucket of their started_at, channel and outcome ('' while open)
CREATE TABLE contact_rollup (
    span    INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (span, start, channel, outcome)
) STRICT, WITHOUT ROWID;
