-- Application rollups (issue 11), as src/store/migrations/005_app_rollups.sql on SQLite: sums
-- kept in the transaction of every application change, so that a year's report reads a few thousand rows instead of every application
-- (docs/REPORTS.md, "How it is computed"). grain 0 = an Istanbul day (bucket: day number),
-- grain 1 = a calendar month (bucket: year * 12 + month - 1). Ids are 0 for "none".
CREATE TABLE app_rollup (
    grain         bigint NOT NULL,
    bucket        bigint NOT NULL,
    department_id bigint NOT NULL,
    category_id   bigint NOT NULL,
    channel       text NOT NULL,
    kind          text NOT NULL,
    n             bigint NOT NULL,
    open          bigint NOT NULL,
    resolved      bigint NOT NULL,
    in_deadline   bigint NOT NULL,
    returned      bigint NOT NULL,
    transferred   bigint NOT NULL,
    reopened      bigint NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, category_id, channel, kind)
);

CREATE TABLE app_rollup_place (
    grain            bigint NOT NULL,
    bucket           bigint NOT NULL,
    department_id    bigint NOT NULL,
    district_id      bigint NOT NULL,
    neighbourhood_id bigint NOT NULL,
    n                bigint NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, district_id, neighbourhood_id)
);

-- resolved applications by working days from creation to answer (bin 63 = 63 or more)
CREATE TABLE app_rollup_restime (
    grain         bigint NOT NULL,
    bucket        bigint NOT NULL,
    department_id bigint NOT NULL,
    bin           bigint NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, bin)
);

-- the report's few reads of rows, index-only where they count: open applications past their
-- deadline, texts of one kind (recurring suggestions) and complaints filed again after one of
-- the same citizen and category was closed (comebacks), all within a period
CREATE INDEX applications_kind_created
    ON applications(kind, created_at, citizen_id, category_id, department_id);
CREATE INDEX applications_open_due ON applications(created_at, resolution_due, department_id)
    WHERE status IN ('forwarded', 'in_progress') AND hold_since IS NULL;
CREATE INDEX applications_complaint_citizen ON applications(citizen_id, category_id, closed_at)
    WHERE kind = 'complaint' AND citizen_id IS NOT NULL;

-- a database that already holds applications needs `alo153 report --rebuild` (the working-day
-- bins need the holiday calendar, which core has): mark it
INSERT INTO settings(key, value) SELECT 'rollup.apps', 'stale'
    WHERE EXISTS (SELECT 1 FROM applications);
