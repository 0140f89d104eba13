-- KPI rollups, as src/store/migrations/004_call_rollups.sql on SQLite (see there).
CREATE TABLE call_rollup (
    span            bigint NOT NULL,
    start           bigint NOT NULL,
    queue           text NOT NULL,
    line            text NOT NULL,
    agent_id        bigint NOT NULL,
    offered         bigint NOT NULL DEFAULT 0,
    answered        bigint NOT NULL DEFAULT 0,
    abandoned       bigint NOT NULL DEFAULT 0,
    short_abandoned bigint NOT NULL DEFAULT 0,
    answered_in_sl  bigint NOT NULL DEFAULT 0,
    wait_sum        bigint NOT NULL DEFAULT 0,
    handle_sum      bigint NOT NULL DEFAULT 0,
    handled         bigint NOT NULL DEFAULT 0,
    max_wait        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (span, start, queue, line, agent_id)
);

CREATE TABLE contact_rollup (
    span    bigint NOT NULL,
    start   bigint NOT NULL,
    channel text NOT NULL,
    outcome text NOT NULL,
    n       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (span, start, channel, outcome)
);
