-- The application rollups in stripes (issue 9): every creation and every change of an
-- application adds to the rollup rows of its day and month, department, category and
-- channel, and those few rows were locked by every writer of every process until its commit,
-- so creations queued on them (bench/pg.sh). Each row now has up to 16 stripes, one chosen by
-- the writing connection (its server process id modulo 16), so concurrent writers mostly meet
-- different rows; readers add the stripes up (store/pg/app_rollup.c), and the *_total views
-- give each table as one row per key, as on SQLite (alo153 migrate and --verify read them).
ALTER TABLE app_rollup ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE app_rollup DROP CONSTRAINT app_rollup_pkey;
ALTER TABLE app_rollup ADD PRIMARY KEY (grain, bucket, department_id, category_id, channel, kind,
                                        stripe);
ALTER TABLE app_rollup_place ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE app_rollup_place DROP CONSTRAINT app_rollup_place_pkey;
ALTER TABLE app_rollup_place ADD PRIMARY KEY (grain, bucket, department_id, district_id,
                                              neighbourhood_id, stripe);
ALTER TABLE app_rollup_restime ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE app_rollup_restime DROP CONSTRAINT app_rollup_restime_pkey;
ALTER TABLE app_rollup_restime ADD PRIMARY KEY (grain, bucket, department_id, bin, stripe);

CREATE VIEW app_rollup_total AS
    SELECT grain, bucket, department_id, category_id, channel, kind, sum(n)::bigint AS n,
           sum(open)::bigint AS open, sum(resolved)::bigint AS resolved,
           sum(in_deadline)::bigint AS in_deadline, sum(returned)::bigint AS returned,
           sum(transferred)::bigint AS transferred, sum(reopened)::bigint AS reopened
    FROM app_rollup GROUP BY grain, bucket, department_id, category_id, channel, kind;
CREATE VIEW app_rollup_place_total AS
    SELECT grain, bucket, department_id, district_id, neighbourhood_id, sum(n)::bigint AS n
    FROM app_rollup_place GROUP BY grain, bucket, department_id, district_id, neighbourhood_id;
CREATE VIEW app_rollup_restime_total AS
    SELECT grain, bucket, department_id, bin, sum(n)::bigint AS n
    FROM app_rollup_restime GROUP BY grain, bucket, department_id, bin;
