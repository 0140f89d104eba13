-- KPI rollups, as src/store/migrations/004_call_rollups.sql on SQLite (see there): the
-- tables, then the calls and contacts already stored counted into them.
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

-- the calls and contacts already stored, counted as on SQLite (see there)
INSERT INTO call_rollup(span, start, queue, line, agent_id, offered, answered, abandoned,
                        short_abandoned, answered_in_sl, wait_sum, handle_sum, handled, max_wait)
SELECT s.span,
       CASE s.span WHEN 900 THEN k.offered_at - (k.offered_at % 900)
                   WHEN 86400 THEN ((k.offered_at + 10800) / 86400) * 86400 - 10800
                   ELSE extract(epoch FROM date_trunc('month', to_timestamp(k.offered_at + 10800) AT TIME ZONE 'UTC'))::bigint - 10800 END,
       k.queue, k.line, k.agent_id, count(*), sum(k.answered), sum(k.abandoned),
       sum(CASE WHEN k.abandoned = 1 AND k.wait < 5 THEN 1 ELSE 0 END),
       sum(CASE WHEN k.answered = 1 AND k.wait <= 20 THEN 1 ELSE 0 END),
       sum(CASE WHEN k.answered = 1 THEN k.wait ELSE 0 END),
       sum(coalesce(k.handle, 0)), sum(CASE WHEN k.handle IS NULL THEN 0 ELSE 1 END),
       coalesce(max(k.wait), 0)
FROM (SELECT c.offered_at, c.queue, c.line, coalesce(c.agent_id, 0) AS agent_id,
             CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
             CASE WHEN c.answered_at IS NULL AND (c.abandoned_at IS NOT NULL OR
                                                  c.ended_at IS NOT NULL) THEN 1 ELSE 0 END
                 AS abandoned,
             CASE WHEN c.answered_at IS NOT NULL THEN c.answered_at - c.offered_at
                  WHEN c.abandoned_at IS NOT NULL THEN c.abandoned_at - c.offered_at
                  WHEN c.ended_at IS NOT NULL THEN c.ended_at - c.offered_at END AS wait,
             CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL
                  THEN c.ended_at - c.answered_at +
                       CASE WHEN x.ended_at > c.ended_at THEN x.ended_at - c.ended_at ELSE 0 END
                  END AS handle
      FROM calls c LEFT JOIN contacts x ON x.call_id = c.id) k
CROSS JOIN (SELECT 900 AS span UNION ALL SELECT 86400 UNION ALL SELECT 2592000) s
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO contact_rollup(span, start, channel, outcome, n)
SELECT s.span,
       CASE s.span WHEN 900 THEN started_at - (started_at % 900)
                   WHEN 86400 THEN ((started_at + 10800) / 86400) * 86400 - 10800
                   ELSE extract(epoch FROM date_trunc('month', to_timestamp(started_at + 10800) AT TIME ZONE 'UTC'))::bigint - 10800 END,
       channel, coalesce(outcome, ''), count(*)
FROM contacts CROSS JOIN (SELECT 900 AS span UNION ALL SELECT 86400 UNION ALL SELECT 2592000) s
GROUP BY 1, 2, 3, 4;
