-- The deadline order of GET /api/v1/applications?sort=due (issues 9 and 12): see
-- src/store/migrations/020_due_order.sql. pg_app_list orders by exactly this expression and
-- then id, and pages with the row comparison (expression, id) > ($1, $2), an index range.
CREATE INDEX applications_due_order
    ON applications ((coalesce(resolution_due, 9223372036854775807)), id);
