-- The deadline order of GET /api/v1/applications?sort=due (issues 9 and 12): an index on
-- exactly the ORDER BY expression of sqlite_app_list (rows without a deadline last; the rowid
-- is the index's last column, so "expression, id" is its order). Without it every page of the
-- list read and sorted the whole table (the partial index applications_due holds only the rows
-- with a deadline, and the expression is not its column).
CREATE INDEX applications_due_order ON applications(coalesce(resolution_due, 9223372036854775807));
