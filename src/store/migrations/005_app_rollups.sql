-- Application rollups (issue 11): sums kept in the transaction of every application change,
-- so that a year's report reads a few thousand rows instead of every application
-- (docs/REPORTS.md, "How it is computed"). grain 0 = an Istanbul day (bucket: day number),
-- grain 1 = a calendar month (bucket: year * 12 + month - 1). Ids are 0 for "none".
CREATE TABLE app_rollup (
    grain         INTEGER NOT NULL,
    bucket        INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    category_id   INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    n             INTEGER NOT NULL,
    open          INTEGER NOT NULL,
    resolved      INTEGER NOT NULL,
    in_deadline   INTEGER NOT NULL,
    returned      INTEGER NOT NULL,
    transferred   INTEGER NOT NULL,
    reopened      INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, category_id, channel, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE app_rollup_place (
    grain            INTEGER NOT NULL,
    bucket           INTEGER NOT NULL,
    department_id    INTEGER NOT NULL,
    district_id      INTEGER NOT NULL,
    neighbourhood_id INTEGER NOT NULL,
    n                INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, district_id, neighbourhood_id)
) STRICT, WITHOUT ROWID;

-- resolved applications by working days from creation to answer (bin 63 = 63 or more)
CREATE TABLE app_rollup_restime (
    grain         INTEGER NOT NULL,
    bucket        INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    bin           INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, department_id, bin)
) STRICT, WITHOUT ROWID;

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
